namespace VirtLab.Experiments;

/// <summary>What <see cref="MemoryOvercommit.Run"/> measured: one row per setting and ratio, their series, and the headline figures.</summary>
public sealed class MemoryOvercommitResult : ExperimentResult<MemoryOvercommitOptions, MemoryOvercommitHeadline>
{
    internal MemoryOvercommitResult(MemoryOvercommitOptions options, IReadOnlyList<MemoryOvercommitRow> rows, IReadOnlyList<MemoryOvercommitRun> runs, IReadOnlyList<string> notes)
        : base(MemoryOvercommit.Name, options, new MemoryOvercommitHeadline(rows), notes)
    {
        Rows = rows;
        Runs = runs;
    }

    /// <summary>Each setting's ratios in turn (table <c>overcommit</c>).</summary>
    public IReadOnlyList<MemoryOvercommitRow> Rows { get; }

    /// <summary>The series of each row's host, in the same order.</summary>
    public IReadOnlyList<MemoryOvercommitRun> Runs { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables()
    {
        var vmSeries = new Table("vm_series", ["setting", "ratio", .. ExperimentRunner.VmColumns]);
        var hostSeries = new Table("host_series", ["setting", "ratio", .. ExperimentRunner.HostColumns]);
        foreach (var run in Runs) { vmSeries.AddRows(run.VmSamples, run.Setting, run.Ratio); hostSeries.AddRows(run.HostSamples, run.Setting, run.Ratio); }
        return Runs.Count > 0 ? [Table.From(Rows, "overcommit"), vmSeries, hostSeries] : [Table.From(Rows, "overcommit")];
    }
}
