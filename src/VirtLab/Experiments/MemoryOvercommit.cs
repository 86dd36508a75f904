using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>
/// Sweeps the RAM overcommit ratio (the sum of the VMs' configured memory over the host RAM left
/// for guests) by keeping the same VMs and shrinking the host's RAM. Each guest has touched most of
/// its memory once (so the host has had to back it) and then keeps walking a smaller working set;
/// the rest sits on the guest kernel's free list. Each ratio runs under each reclamation setting
/// (ballooning + swapping, swapping only, ...). Throughput is the guests' own progress counters;
/// swap traffic, balloon sizes, the frames each mechanism freed and the stall time come from the
/// hypervisor's counters. Where swapping takes over from ballooning is read off the run: nothing
/// here knows the working-set size except the guests themselves.
/// <example>
/// <code>
/// var result = MemoryOvercommit.Run(new() { Ratios = [1.0, 1.5, 2.0], Settings = [ReclamationSetting.BalloonAndSwap] });
/// result.Headline.SwapStallsDominateFrom(ReclamationSetting.BalloonAndSwap)   // the first ratio where swap-in stalls take half the time
/// </code>
/// </example>
/// </summary>
public static class MemoryOvercommit
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "memory-overcommit";

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<MemoryOvercommitOptions, MemoryOvercommitResult>(Name,
        "Sweep the RAM overcommit ratio (same VMs, host RAM shrunk) under ballooning+swapping and swapping only: throughput, swap traffic, balloon size, stalls", Run);

    /// <summary>
    /// Share of all vCPU time (%) spent waiting for swap-ins from which swapping is said to dominate:
    /// half, the point where the guests wait on the swap device longer than they run.
    /// </summary>
    public const double StallDominance = 50;

    /// <summary>Frames the hypervisor keeps for itself (the same as the host default).</summary>
    private const int HypervisorPages = 256;

    /// <summary>
    /// The guests' timer tick (simulated ms). One tick per millisecond lets the balloon driver, which
    /// polls its target once per tick, answer within a reclamation period, and makes a boot delay in
    /// ticks the same number in milliseconds.
    /// </summary>
    private const double GuestTickMilliseconds = 1;

    /// <summary>
    /// Runs every ratio under every setting (and ratio 1.0, the baseline, even when it is not asked
    /// for). Throws <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static MemoryOvercommitResult Run(MemoryOvercommitOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        int n = options.Vms, vmPages = options.VmPages;
        double duration = options.DurationMilliseconds, warmup = options.WarmupMilliseconds;
        var ratios = options.Ratios;
        // The baseline of each setting is ratio 1.0: host RAM equal to the VMs' configured memory.
        var runRatios = ratios.Contains(1.0) ? ratios : ratios.Prepend(1.0).ToList();
        var slices = new ProgressSlices(progress, options.Settings.Count * runRatios.Count);
        int done = 0;
        var rows = new List<MemoryOvercommitRow>();
        var runs = new List<MemoryOvercommitRun>();
        foreach (var setting in options.Settings)
        {
            double baseline = 0;
            foreach (double ratio in runRatios)
            {
                int available = (int)Math.Round(n * vmPages / ratio);
                var spec = new ExperimentSpec
                {
                    Host = new HostConfig
                    {
                        Cores = n, RamPages = available + HypervisorPages, HypervisorMemoryPages = HypervisorPages,
                        ReclamationPolicy = setting.Policy(), ReclamationThresholds = options.Thresholds, SwapOnDemand = setting.Swapping,
                        SharingScanPages = options.ScanPages, Core = Scheduling.SmtCoreModel.OneInstructionPerCycle,
                    },
                    Vms = Enumerable.Range(0, n).Select(i => new VmConfig
                    {
                        Name = $"vm{i}", MemoryPages = vmPages, TickMilliseconds = GuestTickMilliseconds,
                        Workload = Workload.WorkingSet((uint)options.WorkingSetPages, (uint)options.TouchPages, startDelayTicks: (uint)(options.BootStaggerMilliseconds * i)),
                    }).ToList(),
                    DurationMilliseconds = duration, SampleMilliseconds = Math.Min(10, duration / 10), Seed = options.Seed,
                };
                var run = ExperimentRunner.Run(spec, slices.Slice(done));
                slices.Completed(++done);
                var host = run.Host;
                double ops = host.Vms.Sum(v => (double)run.OpsAfter(v.Name, warmup));
                if (ratio == 1.0) baseline = ops;
                if (ratio == 1.0 && !ratios.Contains(1.0)) continue;
                double msPerCycle = 1.0 / host.Config.CyclesPerMillisecond;
                double stallMs = host.Vms.Sum(v => (double)v.SwapInStallCycles) * msPerCycle;
                double stallPct = Measure.Percent(stallMs, n * duration);
                long swapOuts = host.Vms.Sum(v => v.Memory.SwapOuts), swapIns = host.Vms.Sum(v => v.Memory.SwapIns);
                long balloonFreed = host.Vms.Sum(v => v.Memory.BalloonFreedFrames);
                int sharingSaved = host.Sharing.SavedFrames;
                long periods = Math.Max(1, host.PeriodsInState.Sum());
                string most = ReclaimedMost(sharingSaved, balloonFreed, swapOuts);
                rows.Add(new MemoryOvercommitRow(setting, ratio, available, (long)ops, baseline > 0 ? ops / baseline : 0, host.Vms.Count(v => v.Crashed), swapOuts, swapIns,
                    host.Vms.Sum(v => v.Memory.BalloonedPages), balloonFreed, sharingSaved, stallMs, stallPct,
                    Measure.Percent(host.PeriodsInState[(int)ReclamationState.Hard] + host.PeriodsInState[(int)ReclamationState.Low], periods), most,
                    stallPct >= StallDominance));
                runs.Add(new MemoryOvercommitRun(setting, ratio, run.VmSamples, run.HostSamples));
            }
        }
        return new MemoryOvercommitResult(options, rows, runs,
        [
            Invariant($"{n} VMs of {vmPages} pages; ratio r gives the host round({n}*{vmPages}/r) pages for guests (plus {HypervisorPages} for the hypervisor). The VMs stay the same; the host shrinks."),
            Invariant($"Each guest runs wset:pages={options.WorkingSetPages},touch={options.TouchPages}: it touches {options.TouchPages} pages once, frees them, then walks a working set of {options.WorkingSetPages} of them forever. VM i boots {options.BootStaggerMilliseconds}*i ms late."),
            Invariant($"ops = guest progress after {warmup} ms (the boots) to {duration} ms; relative = ops / ops at ratio 1.0 with the same setting."),
            options.ScanPages > 0
                ? Invariant($"Page sharing scans {options.ScanPages} guest pages per ms; sharing_saved_frames = guest pages on shared frames - those frames, at the end.")
                : "No page sharing (scan-pages 0).",
            "balloon_freed_frames = inflated pages that had a frame; each swap-out frees one frame too. reclaimed_most compares those and sharing_saved_frames. stall = swap-in stalls (CostModel.SwapInCycles each); stall_pct is of all vCPU time; swap_stalls_dominate when it is 50 % or more.",
        ]);
    }

    /// <summary>Which mechanism freed the most frames: "none" if none freed any; a tie goes to the balloon (ESX's normal path), then to sharing.</summary>
    private static string ReclaimedMost(long sharing, long balloon, long swap) =>
        sharing == 0 && balloon == 0 && swap == 0 ? "none"
        : swap > balloon && swap > sharing ? "swap"
        : balloon >= sharing ? "balloon" : "sharing";
}
