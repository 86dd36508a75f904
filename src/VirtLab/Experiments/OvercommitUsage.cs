using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// The bet behind overcommit, measured: VMs of the same configured size, each with one vCPU on a
/// pCPU of its own (nothing is overcommitted), run their workloads, and each one's share of its
/// memory touched and of its time busy is read from the hypervisor's counters. A page never
/// touched has no host frame behind it, and a vCPU asleep in <c>wfi</c> leaves its pCPU idle: what
/// the VMs do not use is what an overcommitted host hands to others.
/// <example>
/// <code>
/// var result = OvercommitUsage.Run();
/// result.Headline.TouchedPercent     // well under 100: the VMs touch far less than they were given
/// </code>
/// </example>
/// </summary>
public static class OvercommitUsage
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "overcommit-usage";

    /// <summary>Largest VM the experiment gives (pages of 4 KiB: 16 MiB).</summary>
    public const int MaxVmPages = 4096;

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<OvercommitUsageOptions, OvercommitUsageResult>(Name,
        "What VMs use of what they were given: pages touched and vCPU busy %, each VM on a pCPU of its own", Run);

    /// <summary>
    /// Runs the VMs with <paramref name="options"/> (defaults if null). Throws
    /// <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static OvercommitUsageResult Run(OvercommitUsageOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        var outcome = ExperimentRunner.Run(new ExperimentSpec
        {
            Host = new HostConfig { Cores = options.VmNames.Count },
            Vms = options.VmNames.Select((name, i) => new VmConfig { Name = name, MemoryPages = options.VmPages, Workload = options.Workloads[i] }).ToList(),
            // Only the last sample is read; ten of them report progress on the way.
            DurationMilliseconds = options.DurationMilliseconds, SampleMilliseconds = options.DurationMilliseconds / 10, Seed = options.Seed,
        }, progress);
        var rows = outcome.Host.Vms.Select(vm =>
        {
            var last = outcome.SamplesOf(vm.Name)[^1];
            int touched = last.MaxPages - last.UntouchedPages;   // pages that ever got a host frame
            return new VmUsage(vm.Name, vm.Config.Workload.ToString(), last.MaxPages, touched,
                100.0 * touched / last.MaxPages, 100 * last.RunMilliseconds / last.TimeMilliseconds);
        }).ToList();
        return new OvercommitUsageResult(options, rows,
            ["pages_touched = pages given - pages never touched: a page gets a host frame at its first touch (a second-stage page fault), so the rest cost the host nothing.",
             "vcpu_busy_pct = run time / the run: each VM has a pCPU of its own, so the rest is time it slept in wfi, not time it waited."]);
    }
}
