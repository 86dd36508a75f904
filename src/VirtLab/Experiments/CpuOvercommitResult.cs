namespace VirtLab.Experiments;

/// <summary>What <see cref="CpuOvercommit.Run"/> measured: one row per kind of VM and ratio, and the headline figures.</summary>
public sealed class CpuOvercommitResult : ExperimentResult<CpuOvercommitOptions, CpuOvercommitHeadline>
{
    internal CpuOvercommitResult(CpuOvercommitOptions options, IReadOnlyList<CpuOvercommitRow> rows, IReadOnlyList<string> notes) : base(CpuOvercommit.Name, options, new CpuOvercommitHeadline(rows), notes)
    {
        Rows = rows;
    }

    /// <summary>The CPU-bound VMs at each ratio, then the mostly idle ones (table <c>overcommit</c>).</summary>
    public IReadOnlyList<CpuOvercommitRow> Rows { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Rows, "overcommit")];
}
