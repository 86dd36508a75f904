using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="CpuOvercommit"/>.</summary>
public sealed record CpuOvercommitOptions : ExperimentOptions
{
    /// <summary>Simulated time each host runs (ms); the first fifth, up to 30 ms, is warm-up and not measured. Default: 200.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 200;

    /// <summary>Physical CPUs of the host (cores, one hardware thread each). Default: 2.</summary>
    [OptionName("pcpus")]
    public int PhysicalCpus { get; init; } = 2;

    /// <summary>vCPU:pCPU ratios to sweep (vCPUs per physical CPU): ratio r runs round(r × pcpus) one-vCPU VMs. Default: 1,2,3,4,6,8.</summary>
    public IReadOnlyList<double> Ratios { get; init; } = [1, 2, 3, 4, 6, 8];

    /// <summary>The workload of the CPU-bound VMs. Default: cpu:rounds=100.</summary>
    public Workload BusyWorkload { get; init; } = Workload.Cpu();

    /// <summary>The workload of the mostly idle VMs (a little work, then sleep). Default: io:work=2000,sleep=2.</summary>
    public Workload IdleWorkload { get; init; } = Workload.Io(2000, 2);

    /// <summary>The hypervisor: type1 (bare metal, schedules vCPUs itself) or type2 (hosted, vCPUs are host threads). Default: type1.</summary>
    public HypervisorKind Kind { get; init; } = HypervisorKind.Type1;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 20);
        RequireBetween(nameof(PhysicalCpus), PhysicalCpus, 1, HostConfig.MaxCores);
        RequireEach(nameof(Ratios), Ratios, r => r > 0, r => $"{OptionText.Format(r)} is not a positive number");
        RequireFits(nameof(BusyWorkload), BusyWorkload, new VmConfig().MemoryPages);
        RequireFits(nameof(IdleWorkload), IdleWorkload, new VmConfig().MemoryPages);
    }
}
