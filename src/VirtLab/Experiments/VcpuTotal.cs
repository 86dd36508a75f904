namespace VirtLab.Experiments;

/// <summary>One vCPU over a whole <see cref="OvercommitTimeline"/> run: run + ready + co-stop + wait = the run's time.</summary>
/// <param name="Vcpu">The vCPU, as <c>vm/vcpuN</c>.</param>
/// <param name="RunMilliseconds">Time it ran on a hardware thread.</param>
/// <param name="ReadyMilliseconds">Time it was runnable but found no hardware thread free (CPU ready).</param>
/// <param name="CoStopMilliseconds">Time relaxed co-scheduling held it back (co-stop).</param>
/// <param name="WaitMilliseconds">Time it was idle (asleep in wfi).</param>
/// <param name="ReadyPercent">Ready time as a percentage of the run.</param>
/// <param name="CoStopPercent">Co-stop time as a percentage of the run.</param>
public sealed record VcpuTotal(
    [property: Column("vcpu")] string Vcpu,
    [property: Column("run_ms")] double RunMilliseconds,
    [property: Column("ready_ms")] double ReadyMilliseconds,
    [property: Column("costop_ms")] double CoStopMilliseconds,
    [property: Column("wait_ms")] double WaitMilliseconds,
    [property: Column("ready_pct")] double ReadyPercent,
    [property: Column("costop_pct")] double CoStopPercent);
