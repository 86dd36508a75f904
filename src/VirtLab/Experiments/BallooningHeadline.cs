using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="Ballooning"/>, read from its rows.</summary>
public sealed class BallooningHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<BallooningRow> _rows;
    private readonly IReadOnlyList<BalloonedVersusNativeRow> _comparison;

    internal BallooningHeadline(IReadOnlyList<BallooningRow> rows, IReadOnlyList<BalloonedVersusNativeRow> comparison) => (_rows, _comparison) = (rows, comparison);

    /// <summary>Guest throughput in <paramref name="mode"/> relative to the unconstrained host, averaged over the VMs.</summary>
    public double ThroughputVersusUnconstrained(string mode) => RowsOf(mode).Average(r => r.Relative);

    /// <summary>VMs that crashed in <paramref name="mode"/>.</summary>
    public int CrashedVms(string mode) => RowsOf(mode).Count(r => r.Crashed);

    /// <summary>Pages swapped in, all VMs of <paramref name="mode"/> together.</summary>
    public long SwapIns(string mode) => RowsOf(mode).Sum(r => r.SwapIns);

    /// <summary>What the balloon cost the ballooned VM against the native one (%; ESX measured 1.4-4.4).</summary>
    public double BalloonOverheadPercent => _comparison[0].OverheadPercent;

    private List<BallooningRow> RowsOf(string mode)
    {
        var rows = _rows.Where(r => r.Mode == mode).ToList();
        return rows.Count > 0 ? rows : throw new KeyNotFoundException($"no mode '{mode}' (modes: {string.Join(", ", Ballooning.Modes)})");
    }

    internal override IEnumerable<(string Name, string Value)> Sentences() =>
        Ballooning.Modes.Skip(1)
            .Select(mode => ($"{mode}: throughput vs unconstrained", Invariant($"{ThroughputVersusUnconstrained(mode):P0} (crashed {CrashedVms(mode)}, swap-ins {SwapIns(mode)})")))
            .Append(("ballooned vs native", Invariant($"{_comparison[0].Ops} ops vs {_comparison[1].Ops} ops (overhead {Math.Round(BalloonOverheadPercent, 2) + 0.0:0.00}%)")));
}
