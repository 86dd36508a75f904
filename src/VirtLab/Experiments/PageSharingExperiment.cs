using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// N identical guests (same kernel, same workload) with the page-sharing scan on, N = 1..max, then
/// a mixed set. The shared fraction is pages mapped to shared frames over all guest pages with
/// memory behind them; saved is the frames that sharing freed. Both come from the scan's hash,
/// full compare and copy-on-write, not from a formula. (The one experiment whose name ends in
/// "Experiment": <see cref="Memory.PageSharing"/> is the mechanism it measures.)
/// <example>
/// <code>
/// var result = PageSharingExperiment.Run(new() { MaxVms = 4 });
/// result.Headline.SavedFraction(vms: 4)
/// </code>
/// </example>
/// </summary>
public static class PageSharingExperiment
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "page-sharing";

    /// <summary>The <see cref="PageSharingRow.Set"/> of the hosts with N identical guests.</summary>
    public const string Identical = "identical";

    /// <summary>The <see cref="PageSharingRow.Set"/> of the host with five different workloads.</summary>
    public const string Mixed = "mixed";

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<PageSharingOptions, PageSharingResult>(Name,
        "N identical guests and a mixed set with content-based page sharing: shared fraction and memory saved", Run);

    /// <summary>The mixed set: five guests that share little but their kernel and zero pages.</summary>
    private static readonly Workload[] MixedWorkloads = [Workload.Cpu(), Workload.Memory(32, 4096), Workload.Io(), Workload.Phases(48, 5), Workload.ExitMmio()];

    /// <summary>Memory of every guest (pages).</summary>
    internal const int VmPages = 256;

    /// <summary>
    /// Runs 1, 2, ... <see cref="PageSharingOptions.MaxVms"/> identical guests, then the mixed set,
    /// each on its own host. Throws <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static PageSharingResult Run(PageSharingOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        var sets = Enumerable.Range(1, options.MaxVms).Select(n => (Set: Identical, Workloads: Enumerable.Repeat(options.Workload, n).ToArray()))
            .Append((Set: Mixed, Workloads: MixedWorkloads)).ToList();
        var slices = new ProgressSlices(progress, sets.Count);
        var rows = new List<PageSharingRow>();
        foreach (var (set, workloads) in sets)
        {
            var spec = new ExperimentSpec
            {
                Host = new HostConfig { Cores = Math.Min(workloads.Length, 8), RamPages = 4096 + workloads.Length * 600, SharingScanPages = options.ScanPages, ReclamationPolicy = null },
                Vms = workloads.Select((w, i) => new VmConfig { Name = $"vm{i}", MemoryPages = VmPages, TickMilliseconds = 1, Workload = w }).ToList(),
                // One sample at the end: what the scan has shared by then.
                DurationMilliseconds = options.DurationMilliseconds, SampleMilliseconds = options.DurationMilliseconds, Seed = options.Seed,
            };
            var host = ExperimentRunner.Run(spec, slices.Slice(rows.Count)).Host;
            int shared = host.Vms.Sum(v => v.Memory.SharedPages), backed = host.Vms.Sum(v => v.Memory.MappedPages) + shared;
            rows.Add(new PageSharingRow(set, workloads.Length, backed, shared, host.Sharing.SharedFrames, host.Sharing.SavedFrames,
                backed > 0 ? (double)shared / backed : 0, backed > 0 ? (double)host.Sharing.SavedFrames / backed : 0, host.Vms.Sum(v => v.Memory.CopyOnWrites)));
            slices.Completed(rows.Count);
        }
        return new PageSharingResult(options, rows,
        [
            "shared_fraction = guest pages mapped to shared frames / guest pages with memory behind them; saved = shared pages - shared frames; saved_fraction = saved / guest pages with memory behind them (the memory sharing gives back, as ESX reports it).",
            "The default workload, cache, fills its pages once with bytes that are the same in every guest and then only reads them, like the same files or libraries in every guest's memory; mem (which keeps rewriting its pages) shares little but zero pages.",
        ]);
    }
}
