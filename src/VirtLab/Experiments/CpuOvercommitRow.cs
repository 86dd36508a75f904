namespace VirtLab.Experiments;

/// <summary>One host of the <see cref="CpuOvercommit"/> sweep: one kind of VM at one vCPU:pCPU ratio.</summary>
/// <param name="Group">Which VMs: <see cref="CpuOvercommit.CpuBound"/> or <see cref="CpuOvercommit.MostlyIdle"/>.</param>
/// <param name="Ratio">vCPUs per physical CPU asked for.</param>
/// <param name="Vcpus">vCPUs on the host, all VMs together.</param>
/// <param name="ReadyPercentMean">CPU ready time (runnable, but no hardware thread free) as a percentage of the run, averaged over the vCPUs.</param>
/// <param name="ReadyPercentMax">The same for the vCPU that waited most.</param>
/// <param name="CoStopPercentMean">Co-stop time (held back by relaxed co-scheduling for running ahead of its siblings) as a percentage of the run, averaged over the vCPUs; 0 for one-vCPU VMs.</param>
/// <param name="OpsPerSecondPerVm">Operations per simulated second, averaged over the VMs (after the warm-up).</param>
/// <param name="RelativePerVm">That throughput relative to the first ratio of the sweep.</param>
/// <param name="HostUtilization">Busy share of the hardware threads over the run, 0..1.</param>
public sealed record CpuOvercommitRow(
    [property: Column("vms")] string Group,
    [property: Column("ratio")] double Ratio,
    [property: Column("vcpus")] int Vcpus,
    [property: Column("ready_pct_mean")] double ReadyPercentMean,
    [property: Column("ready_pct_max")] double ReadyPercentMax,
    [property: Column("costop_pct_mean")] double CoStopPercentMean,
    [property: Column("ops_per_s_per_vm")] double OpsPerSecondPerVm,
    [property: Column("relative_per_vm")] double RelativePerVm,
    [property: Column("host_utilization")] double HostUtilization);
