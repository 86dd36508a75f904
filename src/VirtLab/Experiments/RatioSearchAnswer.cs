using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>
/// The answer of an <see cref="OvercommitRatioSearch"/> for one mix and one threshold: the highest
/// ratio of the walk before the first step at which some VM was ready at least the threshold.
/// </summary>
/// <param name="Mix">The mix's <see cref="WorkloadMix.Name"/>.</param>
/// <param name="ThresholdPercent">The ready limit (% of a VM's time).</param>
/// <param name="HighestRatio">The highest vCPU:pCPU ratio at which every VM stayed under the limit, walking up; 0 if not even the first step did.</param>
/// <param name="Vms">The VMs on the host at that ratio; 0 if none.</param>
/// <param name="Crossed">Whether the walk reached a step over the limit; if not, the mix tolerates at least <paramref name="HighestRatio"/>, and maybe more.</param>
public sealed record RatioSearchAnswer(
    [property: Column("mix")] string Mix,
    [property: Column("threshold_pct")] double ThresholdPercent,
    [property: Column("highest_ratio")] double HighestRatio,
    [property: Column("vms")] int Vms,
    [property: Column("crossed", WhenTrue = "yes", WhenFalse = "no")] bool Crossed)
{
    /// <summary>The answer in words: <c>1.33:1 (4 VMs)</c>, <c>at least 4:1 (12 VMs)</c> when the walk never crossed, or <c>none (not even the first step)</c>.</summary>
    public override string ToString() =>
        Vms == 0 ? "none (not even the first step)" : (Crossed ? "" : "at least ") + Invariant($"{HighestRatio:0.##}:1 ({Vms} VMs)");
}
