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

    /// <summary>vCPU:pCPU ratios to sweep (vCPUs per physical CPU): ratio r runs round(r × pcpus / vcpus-per-vm) VMs (at least one). Default: 1,2,3,4,6,8.</summary>
    public IReadOnlyList<double> Ratios { get; init; } = [1, 2, 3, 4, 6, 8];

    /// <summary>
    /// vCPUs of each VM (count, 1 to 8). With 2 or more, every vCPU runs the workload, and relaxed
    /// co-scheduling holds back (co-stops) a vCPU that runs too far ahead of its siblings. Default: 1.
    /// </summary>
    [OptionName("vcpus-per-vm")]
    public int VcpusPerVm { get; init; } = 1;

    /// <summary>The workload of the CPU-bound VMs, as name:parameter=value,... (cpu:rounds=N: N hash rounds per operation, never sleeps). Default: cpu:rounds=100.</summary>
    public Workload BusyWorkload { get; init; } = Workload.Cpu();

    /// <summary>The workload of the mostly idle VMs (io:work=N,sleep=T: N hash rounds, then sleep T guest timer ticks of 10 ms in wfi). Default: io:work=2000,sleep=2.</summary>
    public Workload IdleWorkload { get; init; } = Workload.Io(2000, 2);

    /// <summary>The hypervisor: type1 (bare metal, schedules vCPUs itself) or type2 (hosted, vCPUs are host threads). Default: type1.</summary>
    public HypervisorKind Kind { get; init; } = HypervisorKind.Type1;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 20);
        RequireBetween(nameof(PhysicalCpus), PhysicalCpus, 1, HostConfig.MaxCores);
        RequireEach(nameof(Ratios), Ratios, r => r > 0, r => $"{OptionText.Format(r)} is not a positive number");
        RequireBetween(nameof(VcpusPerVm), VcpusPerVm, 1, GuestKernel.MaxHarts);
        RequireFits(nameof(BusyWorkload), BusyWorkload, new VmConfig().MemoryPages);
        RequireFits(nameof(IdleWorkload), IdleWorkload, new VmConfig().MemoryPages);
    }
}
