namespace VirtLab.Experiments;

/// <summary>One VM at the end of one mode of <see cref="Ballooning"/>.</summary>
/// <param name="Mode">One of <see cref="Ballooning.Modes"/>.</param>
/// <param name="Vm">The VM's name.</param>
/// <param name="Ops">Operations the guest completed (a crashed VM keeps what it did before).</param>
/// <param name="Relative">Ops relative to the same VM unconstrained.</param>
/// <param name="Crashed">Whether the guest crashed (out of memory, with no reclamation).</param>
/// <param name="MappedEnd">Pages with a frame at the end.</param>
/// <param name="BalloonedPeak">The largest balloon the samples saw (pages).</param>
/// <param name="SwapOuts">Pages the host swapped out.</param>
/// <param name="SwapIns">Pages swapped back in.</param>
/// <param name="SwapStallMilliseconds">Time the guest stalled on swap-ins (simulated ms).</param>
/// <param name="DeflatedPages">Pages that left the balloon over the run: the driver's deflate-on-OOM and the host letting the balloon down alike (the column's name is older than this record).</param>
/// <param name="SoftPercent">Reclamation periods the host spent in the soft state (%).</param>
/// <param name="HardPercent">Reclamation periods the host spent in the hard or low state (%).</param>
public sealed record BallooningRow(
    [property: Column("mode")] string Mode,
    [property: Column("vm")] string Vm,
    [property: Column("ops")] long Ops,
    [property: Column("relative")] double Relative,
    [property: Column("crashed", WhenTrue = "yes", WhenFalse = "no")] bool Crashed,
    [property: Column("mapped_end")] int MappedEnd,
    [property: Column("ballooned_peak")] int BalloonedPeak,
    [property: Column("swap_outs")] long SwapOuts,
    [property: Column("swap_ins")] long SwapIns,
    [property: Column("swap_stall_ms")] double SwapStallMilliseconds,
    [property: Column("deflate_on_oom")] long DeflatedPages,
    [property: Column("soft_pct")] double SoftPercent,
    [property: Column("hard_pct")] double HardPercent);
