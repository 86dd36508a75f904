namespace VirtLab.Experiments;

/// <summary>One VM of <see cref="OvercommitUsage"/>: what it was given, and what it used of it.</summary>
/// <param name="Vm">The VM's name.</param>
/// <param name="Workload">Its workload, as the command line writes it.</param>
/// <param name="PagesGiven">Memory it was configured with (pages of 4 KiB).</param>
/// <param name="PagesTouched">Pages it ever touched, so that the hypervisor gave them a host frame (given minus never touched).</param>
/// <param name="MemoryUsedPercent">Pages touched as a percentage of pages given.</param>
/// <param name="VcpuBusyPercent">Time its vCPU ran, as a percentage of the run (the rest it slept in wfi: it had a pCPU of its own).</param>
public sealed record VmUsage(
    [property: Column("vm")] string Vm,
    [property: Column("workload")] string Workload,
    [property: Column("pages_given")] int PagesGiven,
    [property: Column("pages_touched")] int PagesTouched,
    [property: Column("memory_used_pct")] double MemoryUsedPercent,
    [property: Column("vcpu_busy_pct")] double VcpuBusyPercent);
