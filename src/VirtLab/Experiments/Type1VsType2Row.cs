using VirtLab.Guest;

namespace VirtLab.Experiments;

/// <summary>One workload on one kind of host in <see cref="Type1VsType2"/>. The bare machine's rows have only throughput.</summary>
/// <param name="Workload">The guest's workload.</param>
/// <param name="Host"><see cref="Type1VsType2.Bare"/>, <c>type1</c> or <c>type2</c> (<see cref="Type1VsType2.HostOf"/>).</param>
/// <param name="OpsPerSecond">Operations per simulated second after the warm-up.</param>
/// <param name="RelativeToBare">That throughput relative to the bare machine's (1 for the bare row).</param>
/// <param name="ExitsPerMillisecond">VM exits per simulated millisecond.</param>
/// <param name="ExitCpuPercent">Cycles spent in exits as a percentage of the vCPU's run time.</param>
/// <param name="TimerLatencyMeanMicroseconds">Mean delay from a guest timer's deadline to the injection of its interrupt (µs).</param>
/// <param name="TimerLatencyMaxMicroseconds">The longest such delay (µs).</param>
/// <param name="VmMappedPages">Guest pages with a host frame at the end.</param>
/// <param name="HostReservedPages">Frames the hypervisor (Type 1) or the host OS (Type 2) keeps for itself.</param>
/// <param name="VcpuReadyPercent">CPU ready time of the vCPU (waiting behind host processes) as a percentage of the run.</param>
public sealed record Type1VsType2Row(
    [property: Column("workload")] Workload Workload,
    [property: Column("host")] string Host,
    [property: Column("ops_per_s")] double OpsPerSecond,
    [property: Column("relative_to_bare")] double RelativeToBare,
    [property: Column("exits_per_ms")] double ExitsPerMillisecond,
    [property: Column("exit_cpu_pct")] double ExitCpuPercent,
    [property: Column("timer_latency_us_mean")] double TimerLatencyMeanMicroseconds,
    [property: Column("timer_latency_us_max")] double TimerLatencyMaxMicroseconds,
    [property: Column("vm_mapped_pages")] int VmMappedPages,
    [property: Column("host_reserved_pages")] int HostReservedPages,
    [property: Column("vcpu_ready_pct")] double VcpuReadyPercent);
