using static System.FormattableString;
using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Grading.Reclamation;

/// <summary>
/// Exercise 3's question: a workload mix (VMs whose memory demand comes and goes) on a host with
/// less RAM than the VMs' sizes add up to, and how long to run it. The grader runs it four times:
/// in the child with the student's policy; in its own process replaying that policy's decisions,
/// with the built-in <see cref="SharesReclamationPolicy"/> for comparison, and on a host with RAM to
/// spare, which gives each VM's unconstrained progress.
/// </summary>
public sealed record ReclamationScenario
{
    /// <summary>Frames the hypervisor keeps (the host default).</summary>
    private const int HypervisorPages = 256;

    /// <summary>
    /// Free-memory thresholds for these small hosts, as the ballooning experiment uses: ESX's 6/4/2/1 %
    /// of a few hundred frames would be a handful of pages, less than one phase of one guest asks for at once.
    /// </summary>
    public static readonly ReclamationThresholds Thresholds = new(0.20, 0.15, 0.10, 0.05);

    /// <summary>
    /// The host's active-memory sampling, on in every run, the unconstrained one included. A host samples only
    /// when overcommitted by default, and each sampled page costs its guest a touch fault: about 1 ms of a busy
    /// guest's time per sampling period, which a reference run without it would count against the policy.
    /// </summary>
    private static readonly ActiveMemorySampling Sampling = new(OnlyWhenOvercommitted: false);

    /// <summary>The VMs, in the order the host creates them.</summary>
    public required IReadOnlyList<MixVm> Vms { get; init; }

    /// <summary>Pages the VMs' guests touch at most, together (each VM's phase and its kernel): what they would hold on a host with RAM to spare.</summary>
    public required int TouchedPages { get; init; }

    /// <summary>Frames of host RAM available to the VMs (after the hypervisor's own).</summary>
    public required int AvailablePages { get; init; }

    /// <summary>Simulated milliseconds the run lasts.</summary>
    public required double DurationMilliseconds { get; init; }

    /// <summary>The seed of the run: the same scenario always gives the same host.</summary>
    public required int Seed { get; init; }

    /// <summary>The RAM overcommit: the VMs' sizes over <see cref="AvailablePages"/>.</summary>
    public double Overcommit => (double)Vms.Sum(v => v.Pages) / AvailablePages;

    /// <summary>The memory pressure: <see cref="TouchedPages"/> over <see cref="AvailablePages"/>. Above 1 the VMs cannot all keep what they touch.</summary>
    public double Pressure => (double)TouchedPages / AvailablePages;

    /// <summary>
    /// The experiment with <paramref name="policy"/> reclaiming (a fresh object: one policy serves one
    /// host), or, with <paramref name="unconstrained"/>, the same VMs on a host with RAM to spare and no reclamation.
    /// </summary>
    public ExperimentSpec CreateSpec(IReclamationPolicy? policy, bool unconstrained = false) => new()
    {
        Host = new HostConfig
        {
            Cores = Vms.Count, ThreadsPerCore = 1, Kind = HypervisorKind.Type1,
            RamPages = (unconstrained ? 2 * Vms.Sum(v => v.Pages) : AvailablePages) + HypervisorPages, HypervisorMemoryPages = HypervisorPages,
            ReclamationPolicy = unconstrained ? null : policy, ReclamationThresholds = Thresholds, Seed = Seed,
            ActiveMemorySampling = Sampling,
        },
        Vms = [.. Vms.Select(v => new VmConfig
        {
            Name = v.Name, MemoryPages = v.Pages, Shares = v.Shares, TickMilliseconds = 1,
            Workload = Workload.Parse(v.Workload, out string? error) ?? throw new InvalidOperationException(error),
        })],
        DurationMilliseconds = DurationMilliseconds,
        SampleMilliseconds = DurationMilliseconds,
        Seed = Seed,
    };

    /// <summary>The scenario in a line: the host and each VM's size, shares and workload.</summary>
    public override string ToString() =>
        Invariant($"{Vms.Count} VMs on {AvailablePages} frames (overcommit {Overcommit:0.00}x; the guests touch {TouchedPages} pages, pressure {Pressure:0.00}): {string.Join("; ", Vms)}, {DurationMilliseconds:0.##} ms, seed {Seed}");
}

/// <summary>One VM of a <see cref="ReclamationScenario"/>.</summary>
/// <param name="Name">Its name ("vm0").</param>
/// <param name="Pages">Its configured size (its max), in pages.</param>
/// <param name="Shares">Its memory shares.</param>
/// <param name="Workload">Its workload as text (<c>phases:pages=P,ticks=T,delay=D,idle=I</c>).</param>
public sealed record MixVm(string Name, int Pages, int Shares, string Workload)
{
    /// <summary>"vm1 512 pages, 1000 shares, phases:...".</summary>
    public override string ToString() => $"{Name} {Pages} pages, {Shares} shares, {Workload}";
}
