using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;

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
/// </summary>
public sealed class MemoryOvercommitExperiment : IExperiment
{
    public string Name => "memory-overcommit";
    public string Description =>
        "Sweep the RAM overcommit ratio (same VMs, host RAM shrunk) under ballooning+swapping and swapping only: throughput, swap traffic, balloon size, stalls";
    public IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["ratios"] = "1.0,1.25,1.5,1.75,2.0,2.5", ["settings"] = "balloon+swap,swap", ["vms"] = "4", ["vm-pages"] = "512",
        ["wset-pages"] = "256", ["touch-pages"] = "416", ["duration-ms"] = "300", ["warmup-ms"] = "100",
        ["thresholds"] = "0.06,0.04,0.02,0.01",
    };

    /// <summary>The reclamation settings a run may compare (<c>--settings</c>).</summary>
    public static readonly string[] Settings = ["balloon+swap", "swap", "balloon", "none"];

    /// <summary>
    /// Share of all vCPU time (%) spent waiting for swap-ins from which swapping is said to dominate:
    /// half, the point where the guests wait on the swap device longer than they run.
    /// </summary>
    private const double StallDominance = 50;

    /// <summary>Frames the hypervisor keeps for itself (the same as the host default).</summary>
    private const int HypervisorPages = 256;

    /// <summary>
    /// Timer ticks between the boots of consecutive VMs. A guest touches its memory at about one
    /// page per 3,700 cycles (a second-stage fault each), so the default 416 pages take ~16 simulated ms; 20
    /// ticks of 1 ms let each VM finish before the next starts, as VMs booted one after another do.
    /// </summary>
    private const int BootStaggerTicks = 20;

    public ExperimentResult Run(IReadOnlyDictionary<string, string> o, int seed, IProgress<double>? progress = null)
    {
        var ratios = Options.Doubles(o, Defaults, "ratios");
        int n = Options.Int(o, Defaults, "vms", 1, GuestKernel.MaxHarts * 8);
        int vmPages = Options.Int(o, Defaults, "vm-pages", 64, 1 << 16);
        int wset = Options.Int(o, Defaults, "wset-pages", 1, vmPages - 32);
        int touch = Options.Int(o, Defaults, "touch-pages", wset, vmPages - 32);
        double duration = Options.Double(o, Defaults, "duration-ms", 10);
        double warmup = Options.Double(o, Defaults, "warmup-ms", 0);
        if (warmup >= duration) throw new ConfigurationException("warmup-ms", $"{warmup} must be shorter than duration-ms ({duration})");
        var thresholds = Options.Thresholds(o, Defaults, "thresholds");
        var settings = Options.Get(o, Defaults, "settings").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var s in settings)
            if (!Settings.Contains(s)) throw new ConfigurationException("settings", $"unknown setting '{s}' (known: {string.Join(", ", Settings)})");
        if (settings.Count == 0) throw new ConfigurationException("settings", "needs at least one setting");
        foreach (double r in ratios)
            if (r > n) throw new ConfigurationException("ratios", $"{r} would leave less RAM than one VM's {vmPages} pages (the most is the number of VMs, {n})");

        var result = new ExperimentResult(Name);
        var table = new Table("overcommit", "setting", "ratio", "guest_ram_pages", "ops", "relative", "crashed", "swap_outs", "swap_ins",
            "balloon_pages", "balloon_freed_frames", "stall_ms", "stall_pct", "hard_or_low_pct", "reclaimed_most", "swap_stalls_dominate");
        result.Tables.Add(table);
        Table? series = null, hostSeries = null;
        // The baseline of each setting is ratio 1.0: host RAM equal to the VMs' configured memory.
        var runRatios = ratios.Contains(1.0) ? ratios : ratios.Prepend(1.0).ToList();
        int total = settings.Count * runRatios.Count, done = 0;
        foreach (string setting in settings)
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
                        ReclamationPolicy = setting == "none" ? null : new SharesReclamationPolicy { UseBallooning = setting.Contains("balloon"), UseSwapping = setting.Contains("swap") },
                        ReclamationThresholds = thresholds, SwapOnDemand = setting.Contains("swap"), Core = Scheduling.SmtCoreModel.OneInstructionPerCycle,
                    },
                    Vms = Enumerable.Range(0, n).Select(i => new VmConfig
                    {
                        Name = $"vm{i}", MemoryPages = vmPages, TickMilliseconds = 1,
                        Workload = Workload.WorkingSet((uint)wset, (uint)touch, startDelayTicks: (uint)(BootStaggerTicks * i)),
                    }).ToList(),
                    DurationMilliseconds = duration, SampleMilliseconds = Math.Min(10, duration / 10), Seed = seed,
                };
                var run = ExperimentRunner.Run(spec);
                var host = run.Host;
                double ops = host.Vms.Sum(v => (double)Measure.OpsAfter(run, v.Name, warmup));
                if (ratio == 1.0) baseline = ops;
                if (ratio == 1.0 && !ratios.Contains(1.0)) { progress?.Report(++done / (double)total); continue; }
                double msPerCycle = 1.0 / host.Config.CyclesPerMillisecond;
                double stallMs = host.Vms.Sum(v => (double)v.SwapInStallCycles) * msPerCycle;
                double stallPct = Measure.Pct(stallMs, n * duration);
                long swapOuts = host.Vms.Sum(v => v.Memory.SwapOuts), swapIns = host.Vms.Sum(v => v.Memory.SwapIns);
                long balloonFreed = host.Vms.Sum(v => v.Memory.BalloonFreedFrames);
                long periods = Math.Max(1, host.PeriodsInState.Sum());
                string most = swapOuts == 0 && balloonFreed == 0 ? "none" : swapOuts > balloonFreed ? "swap" : "balloon";
                table.Add(setting, ratio, available, (long)ops, baseline > 0 ? ops / baseline : 0, host.Vms.Count(v => v.Crashed), swapOuts, swapIns,
                    (long)host.Vms.Sum(v => v.Memory.BalloonedPages), balloonFreed, stallMs, stallPct,
                    Measure.Pct(host.PeriodsInState[(int)ReclamationState.Hard] + host.PeriodsInState[(int)ReclamationState.Low], periods), most,
                    stallPct >= StallDominance ? "yes" : "no");
                series ??= new Table("vm_series", ["setting", "ratio", .. ExperimentRunner.VmColumns]);
                hostSeries ??= new Table("host_series", ["setting", "ratio", .. ExperimentRunner.HostColumns]);
                foreach (var row in run.VmSeries.Rows) series.Add([setting, ratio, .. row]);
                foreach (var row in run.HostSeries.Rows) hostSeries.Add([setting, ratio, .. row]);
                progress?.Report(++done / (double)total);
            }
        }
        if (series is not null) { result.Tables.Add(series); result.Tables.Add(hostSeries!); }

        foreach (string setting in settings)
        {
            var rows = table.Rows.Where(r => (string)r[0] == setting).ToList();
            result.Headlines.Add(($"{setting}: throughput vs ratio 1.0",
                string.Join(", ", rows.Select(r => $"{(double)r[1]:0.##}x {(double)r[4]:P0}"))));
            var swapDominant = rows.FirstOrDefault(r => (string)r[13] == "swap");
            result.Headlines.Add(($"{setting}: swapping reclaims most from",
                swapDominant is null ? "no ratio in the sweep" : $"{(double)swapDominant[1]:0.##}x (swap-outs {(long)swapDominant[6]}, balloon freed {(long)swapDominant[9]})"));
            var stallDominant = rows.FirstOrDefault(r => (string)r[14] == "yes");
            result.Headlines.Add(($"{setting}: swap-in stalls take most of the vCPUs' time from",
                stallDominant is null ? "no ratio in the sweep" : $"{(double)stallDominant[1]:0.##}x (stalled {(double)stallDominant[11]:F0} % of the time, throughput {(double)stallDominant[4]:P0})"));
        }
        result.Notes.Add($"{n} VMs of {vmPages} pages; ratio r gives the host round({n}*{vmPages}/r) pages for guests (plus {HypervisorPages} for the hypervisor). The VMs stay the same; the host shrinks.");
        result.Notes.Add($"Each guest runs wset:pages={wset},touch={touch}: it touches {touch} pages once, frees them, then walks a working set of {wset} of them forever. VM i boots {BootStaggerTicks}*i ms late.");
        result.Notes.Add($"ops = guest progress after {warmup} ms (the boots) to {duration} ms; relative = ops / ops at ratio 1.0 with the same setting.");
        result.Notes.Add("balloon_freed_frames = inflated pages that had a frame; each swap-out frees one frame too. reclaimed_most compares the two. stall = swap-in stalls (CostModel.SwapInCycles each); stall_pct is of all vCPU time; swap_stalls_dominate when it is 50 % or more.");
        return result;
    }
}
