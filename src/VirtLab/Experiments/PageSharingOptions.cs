using VirtLab.Guest;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="PageSharingExperiment"/>.</summary>
public sealed record PageSharingOptions : ExperimentOptions
{
    /// <summary>Simulated time each host runs before its memory is counted (ms). Default: 60.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 60;

    /// <summary>The largest number of identical guests (count, 1 to 32). Default: 10.</summary>
    public int MaxVms { get; init; } = 10;

    /// <summary>The workload of the identical guests. Default: cache:pages=64.</summary>
    public Workload Workload { get; init; } = Workload.Cache(64);

    /// <summary>Guest pages the page-sharing scan looks at per reclamation period (pages). Default: 256.</summary>
    public int ScanPages { get; init; } = 256;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 1);
        RequireBetween(nameof(MaxVms), MaxVms, 1, 32);
        RequireFits(nameof(Workload), Workload, PageSharingExperiment.VmPages);
        RequireBetween(nameof(ScanPages), ScanPages, 1);
    }
}
