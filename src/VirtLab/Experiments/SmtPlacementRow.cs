namespace VirtLab.Experiments;

/// <summary>One placement run of <see cref="Smt"/>: busy vCPUs on a host of two cores with two hardware threads each.</summary>
/// <param name="Policy">The placement: smt-aware, packed, one-thread-per-core or same-vm-siblings.</param>
/// <param name="Vms">VMs on the host.</param>
/// <param name="Vcpus">Busy vCPUs in all.</param>
/// <param name="HardwareThreadsUsable">Hardware threads the scheduler may use (2 with one thread per core).</param>
/// <param name="TotalOpsPerSecond">Operations per simulated second, all VMs together.</param>
/// <param name="RelativeToSmtAware">That relative to the first run (smt-aware, two VMs).</param>
public sealed record SmtPlacementRow(
    [property: Column("policy")] string Policy,
    [property: Column("vms")] int Vms,
    [property: Column("vcpus")] int Vcpus,
    [property: Column("hardware_threads_usable")] int HardwareThreadsUsable,
    [property: Column("total_ops_per_s")] double TotalOpsPerSecond,
    [property: Column("relative_to_smt_aware")] double RelativeToSmtAware);
