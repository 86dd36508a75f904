using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="MemoryOvercommit"/>, read from its rows.</summary>
public sealed class MemoryOvercommitHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<MemoryOvercommitRow> _rows;

    internal MemoryOvercommitHeadline(IReadOnlyList<MemoryOvercommitRow> rows) => _rows = rows;

    /// <summary>Guest throughput with <paramref name="setting"/> at <paramref name="ratio"/>, relative to ratio 1.0 with the same setting.</summary>
    public double Relative(ReclamationSetting setting, double ratio) =>
        (_rows.FirstOrDefault(r => r.Setting == setting && r.Ratio == ratio) ?? throw new KeyNotFoundException(Invariant($"{setting} at ratio {ratio} was not run"))).Relative;

    /// <summary>The first ratio at which swapping freed more frames than the balloons, or null if none did.</summary>
    public double? SwappingReclaimsMostFrom(ReclamationSetting setting) => RowsOf(setting).FirstOrDefault(r => r.ReclaimedMost == "swap")?.Ratio;

    /// <summary>The first ratio at which swap-in stalls took half of the vCPUs' time or more, or null if none did.</summary>
    public double? SwapStallsDominateFrom(ReclamationSetting setting) => RowsOf(setting).FirstOrDefault(r => r.SwapStallsDominate)?.Ratio;

    private IEnumerable<MemoryOvercommitRow> RowsOf(ReclamationSetting setting) => _rows.Where(r => r.Setting == setting);

    internal override IEnumerable<(string Name, string Value)> Sentences()
    {
        foreach (var setting in _rows.Select(r => r.Setting).Distinct())
        {
            var rows = RowsOf(setting).ToList();
            yield return ($"{setting}: throughput vs ratio 1.0", string.Join(", ", rows.Select(r => Invariant($"{r.Ratio:0.##}x {r.Relative:P0}"))));
            var swap = rows.FirstOrDefault(r => r.ReclaimedMost == "swap");
            yield return ($"{setting}: swapping reclaims most from",
                swap is null ? "no ratio in the sweep" : Invariant($"{swap.Ratio:0.##}x (swap-outs {swap.SwapOuts}, balloon freed {swap.BalloonFreedFrames})"));
            var stall = rows.FirstOrDefault(r => r.SwapStallsDominate);
            yield return ($"{setting}: swap-in stalls take most of the vCPUs' time from",
                stall is null ? "no ratio in the sweep" : Invariant($"{stall.Ratio:0.##}x (stalled {stall.StallPercent:F0} % of the time, throughput {stall.Relative:P0})"));
        }
    }
}
