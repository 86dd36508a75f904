using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// The right vCPU:pCPU ratio for a workload mix, found by running the scheduler: for each mix,
/// walks up the ratio one host per step and measures every VM's CPU ready time; the answer for a
/// ready threshold (VMware's 5 % and 10 %) is the highest ratio before the first step at which
/// some VM reached it. The thresholds apply VM by VM, so the worst VM decides. Each step also
/// gives the slowdown the VMs see and the hosts 100 such VMs need, the two sides of overcommit's
/// cost.
/// <para>
/// One walk answers every threshold (the runs are shared), and by default a walk ends at the
/// first step where its worst VM is at or over every threshold: the answers cannot change after
/// it, so the rest of the walk is not run (<see cref="OvercommitRatioSearchOptions.StopOnceCrossed"/>).
/// </para>
/// <example>
/// <code>
/// var result = OvercommitRatioSearch.Run(new() { Mixes = [WorkloadMix.Web, WorkloadMix.Batch] });
/// result.Headline.HighestRatioUnder("batch", 5).HighestRatio    // 0.67: any overcommit makes a busy VM wait
/// </code>
/// </example>
/// </summary>
public static class OvercommitRatioSearch
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "overcommit-ratio-search";

    /// <summary>Simulated time between the samples each host takes (ms): the warm-up is counted from one of them.</summary>
    public const double SampleMilliseconds = 10;

    /// <summary>Most VMs one step may run (the ratio's last value × pCPUs).</summary>
    public const int MaxVms = 256;

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<OvercommitRatioSearchOptions, OvercommitRatioSearchResult>(Name,
        "Walk up vCPU:pCPU for workload mixes: the highest ratio under each ready threshold, slowdown and hosts per 100 VMs", Run);

    /// <summary>
    /// Runs the walks with <paramref name="options"/> (defaults if null). Throws
    /// <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static OvercommitRatioSearchResult Run(OvercommitRatioSearchOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        var steps = new List<RatioSearchStep>();
        var answers = new List<RatioSearchAnswer>();
        int stepsEach = options.Ratios.Count;
        var slices = new ProgressSlices(progress, options.Mixes.Count * stepsEach);
        double highest = options.ThresholdPercents.Max();
        for (int m = 0; m < options.Mixes.Count; m++)
        {
            var walk = Walk(options, options.Mixes[m], highest, slices, m * stepsEach);
            steps.AddRange(walk);
            answers.AddRange(options.ThresholdPercents.Select(t => Answer(walk, t)));
            slices.Completed((m + 1) * stepsEach);
        }
        return new OvercommitRatioSearchResult(options, steps, answers,
            ["Ready % = a VM's ready time / the run, over its vCPUs. VMware's guidance, per vCPU: under 5% fine, 5-10% noticeable, over 10% a problem. A mix passes a threshold only if its worst VM stays under it.",
             "slowdown = ops per simulated second at the walk's first step with that workload / ops per second at this step, averaged over the VMs (after the warm-up).",
             "hosts_per_100_vms = ceil(100 / (ratio x pcpus)): arithmetic, not a measurement.",
             options.StopOnceCrossed ? "A walk ends at the first step where its worst VM is at or over every threshold (--stop-once-crossed false walks every ratio)." : "Every mix walks every ratio."]);
    }

    /// <summary>Runs one mix up the ratios, until its worst VM has reached <paramref name="stopAt"/> % ready if the options say so.</summary>
    private static List<RatioSearchStep> Walk(OvercommitRatioSearchOptions options, WorkloadMix mix, double stopAt, ProgressSlices slices, int firstSlice)
    {
        var steps = new List<RatioSearchStep>();
        var firstOps = new Dictionary<Guest.Workload, double>();   // each workload's ops/s at the first step that ran it
        int pcpus = options.PhysicalCpus;
        foreach (double ratio in options.Ratios)
        {
            int vms = options.VmsAt(ratio);
            var run = ExperimentRunner.Run(new ExperimentSpec
            {
                Host = new HostConfig { Cores = pcpus },
                Vms = Enumerable.Range(0, vms).Select(i => new VmConfig
                {
                    Name = $"vm{i}", Workload = mix.WorkloadOf(i), TickMilliseconds = mix.TickMilliseconds,
                }).ToList(),
                DurationMilliseconds = options.DurationMilliseconds, SampleMilliseconds = SampleMilliseconds, Seed = options.Seed,
            }, slices.Slice(firstSlice + steps.Count));
            var opsOf = run.Host.Vms.GroupBy(vm => vm.Config.Workload)
                .ToDictionary(g => g.Key, g => g.Average(vm => run.OpsPerSecond(vm.Name, options.WarmupMilliseconds)));
            foreach (var (workload, ops) in opsOf) firstOps.TryAdd(workload, ops);
            var ready = run.Host.Vms.Select(vm => 100 * vm.Vcpus.Sum(v => (double)v.Sched.ReadyCycles) / vm.Vcpus.Count / run.Host.Now).ToList();
            double slowdown = run.Host.Vms.Average(vm => firstOps[vm.Config.Workload] / opsOf[vm.Config.Workload]);
            double asRun = (double)vms / pcpus;
            steps.Add(new RatioSearchStep(mix.Name, vms, asRun, ready.Max(), ready.Average(), slowdown, HostsFor100Vms(asRun, pcpus)));
            slices.Completed(firstSlice + steps.Count);
            if (options.StopOnceCrossed && ready.Max() >= stopAt) break;
        }
        return steps;
    }

    /// <summary>The highest ratio of <paramref name="walk"/> before its first step at or over <paramref name="threshold"/> % ready.</summary>
    private static RatioSearchAnswer Answer(List<RatioSearchStep> walk, double threshold)
    {
        var under = walk.TakeWhile(s => s.WorstReadyPercent < threshold).ToList();
        bool crossed = under.Count < walk.Count;
        return under.Count == 0
            ? new RatioSearchAnswer(walk[0].Mix, threshold, 0, 0, crossed)
            : new RatioSearchAnswer(walk[0].Mix, threshold, under[^1].Ratio, under[^1].Vms, crossed);
    }

    /// <summary>Hosts of <paramref name="pcpus"/> pCPUs that 100 one-vCPU VMs need at <paramref name="ratio"/> vCPUs per pCPU.</summary>
    public static int HostsFor100Vms(double ratio, int pcpus) => (int)Math.Ceiling(100 / (ratio * pcpus) - 1e-9);
}
