namespace VirtLab.Experiments;

/// <summary>One VM at the end of one run of <see cref="IdleTax"/>.</summary>
/// <param name="Tau">The tax rate of the run.</param>
/// <param name="Vm"><see cref="IdleTax.Idle"/> or <see cref="IdleTax.Active"/>.</param>
/// <param name="MappedEnd">Pages with a frame at the end.</param>
/// <param name="ActiveEstimatePages">The hypervisor's estimate of its active memory (pages).</param>
/// <param name="ActiveFraction">That estimate as a fraction of its configured memory.</param>
/// <param name="BalloonedEnd">Pages in its balloon at the end.</param>
/// <param name="BalloonTarget">Pages the host asked its balloon for at the end.</param>
/// <param name="SwapOuts">Pages swapped out.</param>
/// <param name="SwapIns">Pages swapped back in.</param>
/// <param name="Ops">Operations (walks of its pages) it completed.</param>
/// <param name="OpsPerMillisecond">Ops per simulated ms; for the active VM counted from its start.</param>
/// <param name="TouchFaults">Second-stage faults the active-memory sampling caused (it unmaps sampled pages to see them touched).</param>
/// <param name="BlockedMilliseconds">Time it was blocked because the host was in the low state (simulated ms).</param>
public sealed record IdleTaxRow(
    [property: Column("tau")] double Tau,
    [property: Column("vm")] string Vm,
    [property: Column("mapped_end")] int MappedEnd,
    [property: Column("active_est_pages")] int ActiveEstimatePages,
    [property: Column("active_fraction")] double ActiveFraction,
    [property: Column("ballooned_end")] int BalloonedEnd,
    [property: Column("balloon_target")] long BalloonTarget,
    [property: Column("swap_outs")] long SwapOuts,
    [property: Column("swap_ins")] long SwapIns,
    [property: Column("ops")] long Ops,
    [property: Column("ops_per_ms")] double OpsPerMillisecond,
    [property: Column("touch_faults")] long TouchFaults,
    [property: Column("blocked_ms")] double BlockedMilliseconds);
