namespace VirtLab.Experiments;

/// <summary>What <see cref="Ballooning.Run"/> measured: each VM in each mode, the ballooned-vs-native comparison, the series, and the headline figures.</summary>
public sealed class BallooningResult : ExperimentResult<BallooningOptions, BallooningHeadline>
{
    internal BallooningResult(BallooningOptions options, IReadOnlyList<BallooningRow> rows, IReadOnlyList<BalloonedVersusNativeRow> comparison,
        IReadOnlyList<BallooningRun> runs, IReadOnlyList<string> notes) : base(Ballooning.Name, options, new BallooningHeadline(rows, comparison), notes)
    {
        Rows = rows;
        BalloonedVersusNative = comparison;
        Runs = runs;
    }

    /// <summary>Each VM at the end of each mode (table <c>ballooning</c>).</summary>
    public IReadOnlyList<BallooningRow> Rows { get; }

    /// <summary>The ballooned VM, then the native one (table <c>ballooned_vs_native</c>).</summary>
    public IReadOnlyList<BalloonedVersusNativeRow> BalloonedVersusNative { get; }

    /// <summary>The series of each mode.</summary>
    public IReadOnlyList<BallooningRun> Runs { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables()
    {
        var vmSeries = new Table("vm_series", ["mode", .. ExperimentRunner.VmColumns]);
        var hostSeries = new Table("host_series", ["mode", .. ExperimentRunner.HostColumns]);
        foreach (var run in Runs) { vmSeries.AddRows(run.VmSamples, run.Mode); hostSeries.AddRows(run.HostSamples, run.Mode); }
        return [Table.From(Rows, "ballooning"), Table.From(BalloonedVersusNative, "ballooned_vs_native"), vmSeries, hostSeries];
    }
}
