namespace VirtLab.Experiments;

/// <summary>What <see cref="CpuOvercommit.Run"/> measured: one row per kind of VM and ratio, and the headline figures.</summary>
public sealed class CpuOvercommitResult : ExperimentResult
{
    internal CpuOvercommitResult(CpuOvercommitOptions options, IReadOnlyList<CpuOvercommitRow> rows, IReadOnlyList<string> notes) : base(CpuOvercommit.Name, notes)
    {
        Options = options;
        Rows = rows;
        Headline = new CpuOvercommitHeadline(rows);
    }

    /// <summary>The options it ran with.</summary>
    public CpuOvercommitOptions Options { get; }

    /// <summary>The CPU-bound VMs at each ratio, then the mostly idle ones (table <c>overcommit</c>).</summary>
    public IReadOnlyList<CpuOvercommitRow> Rows { get; }

    /// <summary>The figures a lesson quotes.</summary>
    public CpuOvercommitHeadline Headline { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Rows, "overcommit")];

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, string Value)> DescribeHeadline() => Headline.Sentences();
}
