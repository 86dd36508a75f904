using VirtLab.Guest;

namespace VirtLab.Experiments;

/// <summary>One of the two VMs of the ballooned-vs-native comparison (<see cref="Ballooning.BalloonedVersusNative"/>).</summary>
/// <param name="Vm">"ballooned" or "native".</param>
/// <param name="MaxPages">Configured memory (pages).</param>
/// <param name="BalloonPages">Pages in its balloon at the end.</param>
/// <param name="UsablePages">Configured memory less the balloon (pages).</param>
/// <param name="Ops">Operations after the boot (from 50 ms on).</param>
/// <param name="Relative">Ops relative to the native VM.</param>
/// <param name="OverheadPercent">What the balloon cost: 100 × (1 - relative).</param>
/// <param name="Workload">The workload both run.</param>
/// <param name="BalloonExitsMmio">MMIO exits: the balloon driver's polls and its inflation.</param>
public sealed record BalloonedVersusNativeRow(
    [property: Column("vm")] string Vm,
    [property: Column("max_pages")] int MaxPages,
    [property: Column("balloon_pages")] int BalloonPages,
    [property: Column("usable_pages")] int UsablePages,
    [property: Column("ops")] long Ops,
    [property: Column("relative")] double Relative,
    [property: Column("overhead_pct")] double OverheadPercent,
    [property: Column("workload")] Workload Workload,
    [property: Column("balloon_exits_mmio")] long BalloonExitsMmio);
