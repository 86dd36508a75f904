using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="Ballooning"/>.</summary>
public sealed record BallooningOptions : ExperimentOptions
{
    /// <summary>Simulated time each mode runs (ms). Default: 300.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 300;

    /// <summary>VMs on the host, one core each (count). Default: 3.</summary>
    public int Vms { get; init; } = 3;

    /// <summary>Configured memory of each VM (pages of 4 KiB). Default: 512.</summary>
    public int VmPages { get; init; } = 512;

    /// <summary>Pages each VM allocates and walks in its busy phases (pages). Default: 400.</summary>
    public int DemandPages { get; init; } = 400;

    /// <summary>The VMs' configured memory over the host RAM left for guests (ratio). Default: 1.5.</summary>
    public double Overcommit { get; init; } = 1.5;

    /// <summary>Free-memory thresholds of the reclamation states (fractions of guest RAM, falling: high,soft,hard,low). Default: 0.2,0.15,0.1,0.05.</summary>
    public ReclamationThresholds Thresholds { get; init; } = new(0.20, 0.15, 0.10, 0.05);

    /// <summary>Ballooned vs native: the memory of the native VM, and what the ballooned VM is ballooned down to (pages). Default: 256.</summary>
    public int NativePages { get; init; } = 256;

    /// <summary>Ballooned vs native: the workload both VMs run. Default: wset:pages=128,touch=192,delay=0.</summary>
    public Workload CompareWorkload { get; init; } = Workload.WorkingSet(128, 192);

    /// <summary>Ballooned vs native: simulated time of the comparison run (ms); ops are counted from 50 ms on. Default: 150.</summary>
    [OptionName("compare-ms")]
    public double CompareMilliseconds { get; init; } = 150;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 10);
        RequireBetween(nameof(Vms), Vms, 1, GuestKernel.MaxHarts * 8);
        RequireBetween(nameof(VmPages), VmPages, 64, 1 << 16);
        RequireBetween(nameof(DemandPages), DemandPages, 1, VmPages - 32);
        RequireAtLeast(nameof(Overcommit), Overcommit, 0.5);
        RequireThresholds(nameof(Thresholds), Thresholds);
        RequireBetween(nameof(NativePages), NativePages, 32, VmPages - 1);
        RequireFits(nameof(CompareWorkload), CompareWorkload, NativePages);
        RequireAtLeast(nameof(CompareMilliseconds), CompareMilliseconds, Ballooning.CompareWarmupMilliseconds + 10);
    }
}
