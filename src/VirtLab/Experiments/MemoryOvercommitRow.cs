namespace VirtLab.Experiments;

/// <summary>One host of the <see cref="MemoryOvercommit"/> sweep: one setting at one ratio, all VMs together.</summary>
/// <param name="Setting">The reclamation setting.</param>
/// <param name="Ratio">Configured VM memory over host RAM for guests.</param>
/// <param name="GuestRamPages">Host RAM left for guests (pages).</param>
/// <param name="Ops">Operations after the warm-up, all guests together.</param>
/// <param name="Relative">Ops relative to ratio 1.0 with the same setting.</param>
/// <param name="Crashed">VMs that crashed.</param>
/// <param name="SwapOuts">Pages swapped out.</param>
/// <param name="SwapIns">Pages swapped back in.</param>
/// <param name="BalloonPages">Pages in the balloons at the end.</param>
/// <param name="BalloonFreedFrames">Frames inflating the balloons freed (inflated pages that had one).</param>
/// <param name="SharingSavedFrames">Frames page sharing saved at the end: guest pages mapped to shared frames minus those frames (0 without the scan).</param>
/// <param name="StallMilliseconds">Time the guests stalled on swap-ins (simulated ms, all VMs).</param>
/// <param name="StallPercent">That as a percentage of all vCPU time.</param>
/// <param name="HardOrLowPercent">Reclamation periods the host spent in the hard or low state (%).</param>
/// <param name="ReclaimedMost">Which mechanism freed the most frames: "sharing", "balloon", "swap" or "none".</param>
/// <param name="SwapStallsDominate">Whether swap-in stalls took at least <see cref="MemoryOvercommit.StallDominance"/> % of the vCPUs' time.</param>
public sealed record MemoryOvercommitRow(
    [property: Column("setting")] ReclamationSetting Setting,
    [property: Column("ratio")] double Ratio,
    [property: Column("guest_ram_pages")] int GuestRamPages,
    [property: Column("ops")] long Ops,
    [property: Column("relative")] double Relative,
    [property: Column("crashed")] int Crashed,
    [property: Column("swap_outs")] long SwapOuts,
    [property: Column("swap_ins")] long SwapIns,
    [property: Column("balloon_pages")] int BalloonPages,
    [property: Column("balloon_freed_frames")] long BalloonFreedFrames,
    [property: Column("sharing_saved_frames")] int SharingSavedFrames,
    [property: Column("stall_ms")] double StallMilliseconds,
    [property: Column("stall_pct")] double StallPercent,
    [property: Column("hard_or_low_pct")] double HardOrLowPercent,
    [property: Column("reclaimed_most")] string ReclaimedMost,
    [property: Column("swap_stalls_dominate", WhenTrue = "yes", WhenFalse = "no")] bool SwapStallsDominate);
