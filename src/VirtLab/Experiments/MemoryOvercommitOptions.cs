using VirtLab.Guest;
using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="MemoryOvercommit"/>.</summary>
public sealed record MemoryOvercommitOptions : ExperimentOptions
{
    /// <summary>Overcommit ratios to sweep (×: configured VM memory over host RAM for guests; at most the number of VMs). Default: 1,1.25,1.5,1.75,2,2.5.</summary>
    public IReadOnlyList<double> Ratios { get; init; } = [1.0, 1.25, 1.5, 1.75, 2.0, 2.5];

    /// <summary>The reclamation settings compared: balloon+swap, swap, balloon or none. Default: balloon+swap,swap.</summary>
    public IReadOnlyList<ReclamationSetting> Settings { get; init; } = [ReclamationSetting.BalloonAndSwap, ReclamationSetting.Swap];

    /// <summary>VMs on the host, one core each (count). Default: 4.</summary>
    public int Vms { get; init; } = 4;

    /// <summary>Configured memory of each VM (pages of 4 KiB). Default: 512.</summary>
    public int VmPages { get; init; } = 512;

    /// <summary>The working set each guest walks forever after its boot (pages). Default: 256.</summary>
    [OptionName("wset-pages")]
    public int WorkingSetPages { get; init; } = 256;

    /// <summary>The memory each guest touches once at boot and then keeps on its free list (pages, at least the working set). Default: 416.</summary>
    public int TouchPages { get; init; } = 416;

    /// <summary>
    /// Delay between the boots of consecutive VMs (simulated ms, whole; 0 = all boot at once). VM i
    /// boots i times this late, so each guest touches its memory before the next one starts, as VMs
    /// booted one after another do. Default: 20.
    /// </summary>
    [OptionName("boot-stagger-ms")]
    public int BootStaggerMilliseconds { get; init; } = 20;

    /// <summary>Guest pages the page-sharing scan looks at per reclamation period of 1 ms (pages; 0 = no page sharing). Default: 0.</summary>
    public int ScanPages { get; init; }

    /// <summary>Simulated time each host runs (ms). Default: 300.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 300;

    /// <summary>The boots, not counted in the throughput (ms, shorter than the run). Default: 100.</summary>
    [OptionName("warmup-ms")]
    public double WarmupMilliseconds { get; init; } = 100;

    /// <summary>Free-memory thresholds of the reclamation states (fractions of guest RAM, falling: high,soft,hard,low; ESX's own). Default: 0.06,0.04,0.02,0.01.</summary>
    public ReclamationThresholds Thresholds { get; init; } = new(0.06, 0.04, 0.02, 0.01);

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireEach(nameof(Ratios), Ratios, r => r > 0, r => $"{OptionText.Format(r)} is not a positive number");
        RequireBetween(nameof(Vms), Vms, 1, GuestKernel.MaxHarts * 8);
        RequireBetween(nameof(VmPages), VmPages, 64, 1 << 16);
        RequireBetween(nameof(WorkingSetPages), WorkingSetPages, 1, VmPages - 32);
        RequireBetween(nameof(TouchPages), TouchPages, WorkingSetPages, VmPages - 32);
        RequireBetween(nameof(BootStaggerMilliseconds), BootStaggerMilliseconds, 0, 10_000);
        RequireBetween(nameof(ScanPages), ScanPages, 0);
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 10);
        RequireAtLeast(nameof(WarmupMilliseconds), WarmupMilliseconds, 0);
        Require(WarmupMilliseconds < DurationMilliseconds, nameof(WarmupMilliseconds),
            $"{OptionText.Format(WarmupMilliseconds)} must be shorter than duration-ms ({OptionText.Format(DurationMilliseconds)})");
        RequireThresholds(nameof(Thresholds), Thresholds);
        RequireEach(nameof(Settings), Settings, s => s is not null && Settings.Count(t => t == s) == 1, s => $"'{s}' is listed twice");
        foreach (double r in Ratios)
            Require(r <= Vms, nameof(Ratios), $"{OptionText.Format(r)} would leave less RAM than one VM's {VmPages} pages (the most is the number of VMs, {Vms})");
    }
}
