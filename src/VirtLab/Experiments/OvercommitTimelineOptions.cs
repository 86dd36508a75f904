using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="OvercommitTimeline"/>.</summary>
public sealed record OvercommitTimelineOptions : ExperimentOptions
{
    /// <summary>Physical CPUs of the host (cores, one hardware thread each). Default: 3.</summary>
    [OptionName("pcpus")]
    public int PhysicalCpus { get; init; } = 3;

    /// <summary>The VMs' names, one per VM. Default: db,app,batch,web.</summary>
    [OptionName("vms")]
    public IReadOnlyList<string> VmNames { get; init; } = ["db", "app", "batch", "web"];

    /// <summary>vCPUs of each VM, one value per VM (count, 1 to 8): with 2 or more, relaxed co-scheduling co-stops a vCPU that runs too far ahead of its siblings. Default: 2,2,1,1.</summary>
    [OptionName("vcpus")]
    public IReadOnlyList<int> VcpusPerVm { get; init; } = [2, 2, 1, 1];

    /// <summary>The workload of each VM, one per VM, separated by semicolons (every vCPU of a VM runs it). Default: cpu:rounds=100;cpu:rounds=100;cpu:rounds=100;io:work=2000,sleep=2.</summary>
    public IReadOnlyList<Workload> Workloads { get; init; } = [Workload.Cpu(), Workload.Cpu(), Workload.Cpu(), Workload.Io(2000, 2)];

    /// <summary>Simulated time the host runs (ms). Default: 60.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 60;

    /// <summary>Simulated time between two records of every vCPU's counters (ms): each row of the timeline covers one such interval. Default: 4.</summary>
    [OptionName("sample-ms")]
    public double SampleMilliseconds { get; init; } = 4;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireBetween(nameof(PhysicalCpus), PhysicalCpus, 1, HostConfig.MaxCores);
        RequireVmNames(nameof(VmNames), VmNames);
        RequireOnePerVm(nameof(VcpusPerVm), VcpusPerVm, VmNames.Count, "vms");
        RequireEach(nameof(VcpusPerVm), VcpusPerVm, v => v >= 1 && v <= GuestKernel.MaxHarts, v => $"{v} is not between 1 and {GuestKernel.MaxHarts}");
        RequireOnePerVm(nameof(Workloads), Workloads, VmNames.Count, "vms");
        foreach (var workload in Workloads) RequireFits(nameof(Workloads), workload, new VmConfig().MemoryPages);
        Require(SampleMilliseconds > 0, nameof(SampleMilliseconds), $"{OptionText.Format(SampleMilliseconds)} must be above 0");
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, SampleMilliseconds);
    }
}
