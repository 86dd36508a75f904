using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="IdleTax"/>.</summary>
public sealed record IdleTaxOptions : ExperimentOptions
{
    /// <summary>The idle memory tax rates to run (fraction in [0, 1): at tau an idle page costs 1/(1 - tau) active ones). Default: 0,0.75.</summary>
    public IReadOnlyList<double> Taus { get; init; } = [0, 0.75];

    /// <summary>Simulated time of each run (ms). Default: 600.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 600;

    /// <summary>Configured memory of each of the two VMs (pages of 4 KiB). Default: 512.</summary>
    public int VmPages { get; init; } = 512;

    /// <summary>Pages the idle VM touches once at boot and then sleeps on (pages). Default: 400.</summary>
    public int IdlePages { get; init; } = 400;

    /// <summary>The working set the active VM walks (pages). Default: 400.</summary>
    public int ActivePages { get; init; } = 400;

    /// <summary>Host RAM for the guests, besides the hypervisor's own (pages). Default: 700.</summary>
    public int GuestRamPages { get; init; } = 700;

    /// <summary>When the active VM starts walking (ms after boot); its throughput is counted from then. Default: 200.</summary>
    [OptionName("active-start-ms")]
    public double ActiveStartMilliseconds { get; init; } = 200;

    /// <summary>Free-memory thresholds of the reclamation states (fractions of guest RAM, falling: high,soft,hard,low). Default: 0.2,0.15,0.1,0.05.</summary>
    public ReclamationThresholds Thresholds { get; init; } = new(0.20, 0.15, 0.10, 0.05);

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireEach(nameof(Taus), Taus, tau => tau >= 0 && tau < 1, tau => $"{OptionText.Format(tau)} is not a tax rate in [0, 1)");
        Require(Taus.Distinct().Count() == Taus.Count, nameof(Taus), "lists a tax rate twice");
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 10);
        RequireBetween(nameof(VmPages), VmPages, 64, 1 << 16);
        RequireBetween(nameof(IdlePages), IdlePages, 1, VmPages - 32);
        RequireBetween(nameof(ActivePages), ActivePages, 1, VmPages - 32);
        RequireBetween(nameof(GuestRamPages), GuestRamPages, 64, 1 << 20);
        RequireAtLeast(nameof(ActiveStartMilliseconds), ActiveStartMilliseconds, 0);
        RequireThresholds(nameof(Thresholds), Thresholds);
    }
}
