namespace VirtLab.Experiments;

/// <summary>
/// One vCPU over one interval of an <see cref="OvercommitTimeline"/>: where its time went so far
/// (cumulative, ms: run + ready + co-stop + wait = time) and how the interval since the previous
/// record divided between the four states (%: they add up to 100).
/// </summary>
/// <param name="TimeMilliseconds">When the record was taken (simulated ms since the start).</param>
/// <param name="Vcpu">The vCPU, as <c>vm/vcpuN</c>.</param>
/// <param name="RunMilliseconds">Time it ran on a hardware thread so far.</param>
/// <param name="ReadyMilliseconds">Time it was runnable but found no hardware thread free (CPU ready) so far.</param>
/// <param name="CoStopMilliseconds">Time relaxed co-scheduling held it back for running ahead of its siblings (co-stop) so far.</param>
/// <param name="WaitMilliseconds">Time it was idle (asleep in wfi) so far.</param>
/// <param name="RunPercent">Share of the interval it ran.</param>
/// <param name="ReadyPercent">Share of the interval it was ready.</param>
/// <param name="CoStopPercent">Share of the interval it was co-stopped.</param>
/// <param name="WaitPercent">Share of the interval it was idle.</param>
public sealed record VcpuInterval(
    [property: Column("time_ms")] double TimeMilliseconds,
    [property: Column("vcpu")] string Vcpu,
    [property: Column("run_ms")] double RunMilliseconds,
    [property: Column("ready_ms")] double ReadyMilliseconds,
    [property: Column("costop_ms")] double CoStopMilliseconds,
    [property: Column("wait_ms")] double WaitMilliseconds,
    [property: Column("run_pct")] double RunPercent,
    [property: Column("ready_pct")] double ReadyPercent,
    [property: Column("costop_pct")] double CoStopPercent,
    [property: Column("wait_pct")] double WaitPercent);
