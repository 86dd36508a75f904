namespace VirtLab.Experiments;

/// <summary>What <see cref="OvercommitUsage.Run"/> measured: one row per VM, and the headline figures.</summary>
public sealed class OvercommitUsageResult : ExperimentResult<OvercommitUsageOptions, OvercommitUsageHeadline>
{
    internal OvercommitUsageResult(OvercommitUsageOptions options, IReadOnlyList<VmUsage> rows, IReadOnlyList<string> notes)
        : base(OvercommitUsage.Name, options, new OvercommitUsageHeadline(rows), notes)
    {
        Rows = rows;
    }

    /// <summary>Each VM, in the order of the options (table <c>usage</c>).</summary>
    public IReadOnlyList<VmUsage> Rows { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Rows, "usage")];
}
