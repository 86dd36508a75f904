using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="OvercommitUsage"/>.</summary>
public sealed record OvercommitUsageOptions : ExperimentOptions
{
    /// <summary>The VMs' names, one per VM (each VM gets one vCPU and a pCPU of its own). Default: batch,web,cache,db.</summary>
    [OptionName("vms")]
    public IReadOnlyList<string> VmNames { get; init; } = ["batch", "web", "cache", "db"];

    /// <summary>The workload of each VM, one per VM, separated by semicolons. Default: cpu:rounds=100;io:work=2000,sleep=2;wset:pages=16,touch=48,delay=0;wset:pages=160,touch=200,delay=0.</summary>
    public IReadOnlyList<Workload> Workloads { get; init; } = [Workload.Cpu(), Workload.Io(2000, 2), Workload.WorkingSet(16, 48), Workload.WorkingSet(160, 200)];

    /// <summary>Memory each VM is given (pages of 4 KiB, 16 to 4096; 256 is 1 MiB). Default: 256.</summary>
    [OptionName("vm-pages")]
    public int VmPages { get; init; } = 256;

    /// <summary>Simulated time the VMs run (ms). Default: 20.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 20;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireVmNames(nameof(VmNames), VmNames);
        Require(VmNames.Count <= HostConfig.MaxCores, nameof(VmNames), $"{VmNames.Count} VMs need {VmNames.Count} pCPUs, more than a host has ({HostConfig.MaxCores})");
        RequireOnePerVm(nameof(Workloads), Workloads, VmNames.Count, "vms");
        RequireBetween(nameof(VmPages), VmPages, 16, OvercommitUsage.MaxVmPages);
        var host = new HostConfig();
        int room = host.RamPages - host.HypervisorMemoryPages;
        Require(VmNames.Count * VmPages <= room, nameof(VmPages), $"{VmNames.Count} VMs of {VmPages} pages do not fit in the host's {room} pages for guests: this experiment does not overcommit");
        foreach (var workload in Workloads) RequireFits(nameof(Workloads), workload, VmPages);
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 1);
    }
}
