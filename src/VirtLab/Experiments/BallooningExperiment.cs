using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>
/// Memory overcommit about 1.5x: VMs whose memory demand changes in phases (the <c>phases</c>
/// workload allocates and walks N pages, frees them and sleeps, out of step with each other), run
/// under four reclamation settings: none, ballooning only, host swapping only, both. Throughput is
/// each guest's own progress counter relative to the same VM on a host with RAM to spare; swap
/// traffic and balloon sizes come from the hypervisor's counters. Nothing is fitted: the
/// differences come from the guest's balloon driver, deflate-on-OOM, random victim selection and
/// the swap-in stall.
/// </summary>
public sealed class BallooningExperiment : IExperiment
{
    public string Name => "ballooning";
    public string Description => "Phased memory demand on a ~1.5x overcommitted host: no reclamation vs ballooning vs host swapping vs both";
    public IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["duration-ms"] = "300", ["vms"] = "3", ["vm-pages"] = "512", ["demand-pages"] = "400", ["overcommit"] = "1.5", ["thresholds"] = "0.20,0.15,0.10,0.05",
        ["native-pages"] = "256", ["compare-workload"] = "wset:pages=128,touch=192", ["compare-ms"] = "150",
    };

    /// <summary>The four settings compared.</summary>
    public static readonly string[] Modes = ["unconstrained", "none", "balloon", "swap", "balloon+swap"];

    public ExperimentResult Run(IReadOnlyDictionary<string, string> o, int seed, IProgress<double>? progress = null)
    {
        double duration = Options.Double(o, Defaults, "duration-ms", 10);
        int n = Options.Int(o, Defaults, "vms", 1, GuestKernel.MaxHarts * 8);
        int vmPages = Options.Int(o, Defaults, "vm-pages", 64, 1 << 16);
        int demand = Options.Int(o, Defaults, "demand-pages", 1, vmPages - 32);
        double overcommit = Options.Double(o, Defaults, "overcommit", 0.5);
        var thresholds = Options.Thresholds(o, Defaults, "thresholds");
        const int hypervisorPages = 256;
        int available = (int)Math.Round(n * vmPages / overcommit);

        var result = new ExperimentResult(Name);
        var table = new Table("ballooning", "mode", "vm", "ops", "relative", "crashed", "mapped_end", "ballooned_peak", "swap_outs", "swap_ins",
            "swap_stall_ms", "deflate_on_oom", "soft_pct", "hard_pct");
        var series = new Table("vm_series", ["mode", .. ExperimentRunner.VmColumns]);
        var hostSeries = new Table("host_series", ["mode", .. ExperimentRunner.HostColumns]);
        result.Tables.Add(table);
        var baseline = new Dictionary<string, double>();
        int done = 0;
        foreach (string mode in Modes)
        {
            var policy = mode switch
            {
                "unconstrained" or "none" => null,
                _ => new SharesReclamationPolicy { UseBallooning = mode.Contains("balloon"), UseSwapping = mode.Contains("swap") },
            };
            var spec = new ExperimentSpec
            {
                Host = new HostConfig
                {
                    Cores = n, RamPages = (mode == "unconstrained" ? n * vmPages * 2 : available) + hypervisorPages, HypervisorMemoryPages = hypervisorPages,
                    ReclamationPolicy = policy, ReclamationThresholds = thresholds, SwapOnDemand = mode.Contains("swap"),
                },
                Vms = Enumerable.Range(0, n).Select(i => new VmConfig
                {
                    Name = $"vm{i}", MemoryPages = vmPages, TickMilliseconds = 1,
                    Workload = Workload.Phases((uint)demand, ticks: 10, startDelayTicks: (uint)(20 * i), idleTicks: 40),   // out of step with each other
                }).ToList(),
                DurationMilliseconds = duration, SampleMilliseconds = Math.Max(1, duration / 50), Seed = seed,
            };
            var run = ExperimentRunner.Run(spec);
            var host = run.Host;
            foreach (var row in run.VmSeries.Rows) series.Add([mode, .. row]);
            foreach (var row in run.HostSeries.Rows) hostSeries.Add([mode, .. row]);
            long periods = Math.Max(1, host.PeriodsInState.Sum());
            foreach (var vm in host.Vms)
            {
                double ops = vm.Progress;
                if (mode == "unconstrained") baseline[vm.Name] = ops;
                double rel = baseline.TryGetValue(vm.Name, out double b) && b > 0 ? ops / b : 0;
                // The peak balloon as the samples of the series saw it.
                int peak = run.VmSeries.Rows.Where(r => (string)r[1] == vm.Name).Max(r => (int)r[Array.IndexOf(ExperimentRunner.VmColumns, "ballooned_pages")]);
                table.Add(mode, vm.Name, (long)ops, rel, vm.Crashed ? "yes" : "no", vm.Memory.MappedPages, peak, vm.Memory.SwapOuts, vm.Memory.SwapIns,
                    vm.SwapInStallCycles / (double)host.Config.CyclesPerMillisecond, vm.Memory.DeflatedTotal,
                    Measure.Pct(host.PeriodsInState[(int)ReclamationState.Soft], periods), Measure.Pct(host.PeriodsInState[(int)ReclamationState.Hard] + host.PeriodsInState[(int)ReclamationState.Low], periods));
            }
            progress?.Report(++done / (double)(Modes.Length + 1));
        }
        var comparison = BalloonedVersusNative(o, seed, vmPages);
        result.Tables.Add(comparison);
        result.Tables.Add(series);
        result.Tables.Add(hostSeries);
        progress?.Report(1);
        foreach (string mode in Modes.Skip(1))
        {
            var rows = table.Rows.Where(r => (string)r[0] == mode).ToList();
            result.Headlines.Add(($"{mode}: throughput vs unconstrained", $"{rows.Average(r => (double)r[3]):P0} (crashed {rows.Count(r => (string)r[4] == "yes")}, swap-ins {rows.Sum(r => (long)r[8])})"));
        }
        result.Notes.Add($"{n} VMs of {vmPages} pages on {available} pages of guest RAM (overcommit {n * vmPages / (double)available:F2}x); each VM allocates and walks {demand} pages for 10 ticks, frees them and sleeps 40 ticks; VM i starts 20*i ticks late. A crashed VM keeps the progress it made before its out-of-memory fault.");
        result.Notes.Add($"Thresholds high/soft/hard/low = {thresholds.High:P0}/{thresholds.Soft:P0}/{thresholds.Hard:P0}/{thresholds.Low:P0} of guest RAM. ESX uses 6/4/2/1% of a host with GiBs; on this {available}-page host 6% is fewer pages than a guest faults in during the ~2 ms the balloon needs to answer, so the default is scaled up (try --thresholds 0.06,0.04,0.02,0.01).");
        result.Notes.Add("relative = guest progress / the same VM on a host with RAM to spare. Swap-in stall: CostModel.SwapInCycles per swapped-in page.");
        var ballooned = comparison.Rows[0];
        result.Headlines.Add(("ballooned vs native", $"{(long)ballooned[4]} ops vs {(long)comparison.Rows[1][4]} ops (overhead {Math.Round((double)ballooned[6], 2) + 0.0:0.00}%)"));
        result.Notes.Add($"ballooned_vs_native: a {vmPages}-page VM whose balloon the host sets to {(long)ballooned[2]} pages at boot (no reclamation policy, so nothing lets it down) against a VM configured with {(long)comparison.Rows[1][1]} pages, " +
            $"both running {comparison.Rows[0][7]} alone on a host with RAM to spare; ops counted from {CompareWarmupMilliseconds} ms to the end of the comparison run (--compare-ms). ESX measured 1.4-4.4% overhead, from guest data structures sized for the larger memory; this guest kernel sizes nothing by its RAM.");
        return result;
    }

    /// <summary>The boot (touching the pages, inflating the balloon) is over well before this; ops are counted from here on.</summary>
    private const double CompareWarmupMilliseconds = 50;

    /// <summary>
    /// ESX's check that a balloon costs the guest almost nothing: one VM of <paramref name="vmPages"/>
    /// pages ballooned down to <c>native-pages</c>, one VM configured with <c>native-pages</c>, same
    /// workload, each alone on its core. Both run the balloon driver (it polls in both); only the
    /// ballooned one inflates. Throughput is each guest's progress counter.
    /// </summary>
    private Table BalloonedVersusNative(IReadOnlyDictionary<string, string> o, int seed, int vmPages)
    {
        int native = Options.Int(o, Defaults, "native-pages", 32, vmPages - 1);
        double duration = Options.Double(o, Defaults, "compare-ms", CompareWarmupMilliseconds + 10);
        var workload = Options.Workload(Options.Get(o, Defaults, "compare-workload"), "compare-workload");
        return BalloonedVersusNative(vmPages, native, workload, duration, seed);
    }

    /// <summary>
    /// Runs a VM of <paramref name="vmPages"/> pages ballooned down to <paramref name="nativePages"/>
    /// next to a VM configured with <paramref name="nativePages"/>, both running <paramref name="workload"/>,
    /// and returns their throughputs (table <c>ballooned_vs_native</c>: ballooned row first, native second).
    /// </summary>
    public static Table BalloonedVersusNative(int vmPages, int nativePages, Workload workload, double duration, int seed)
    {
        int native = nativePages;
        if (native < 16 || native >= vmPages) throw new ConfigurationException("native-pages", $"{native} is not between 16 and vm-pages - 1 ({vmPages - 1})");
        if (duration <= CompareWarmupMilliseconds) throw new ConfigurationException("compare-ms", $"{duration} is too short for the ballooned-vs-native comparison (needs more than {CompareWarmupMilliseconds})");
        int balloon = vmPages - native;
        var spec = new ExperimentSpec
        {
            Host = new HostConfig { Cores = 2, RamPages = vmPages + native + 1024, ReclamationPolicy = null, Core = Scheduling.SmtCoreModel.OneInstructionPerCycle },
            Vms =
            [
                new VmConfig { Name = "ballooned", MemoryPages = vmPages, TickMilliseconds = 1, Workload = workload },
                new VmConfig { Name = "native", MemoryPages = native, TickMilliseconds = 1, Workload = workload },
            ],
            DurationMilliseconds = duration, SampleMilliseconds = 10, Seed = seed,
            Setup = host => host.Vms[0].Balloon.Target = (uint)balloon,   // as an operator would, before the guest runs
        };
        try { spec.Vms[1].Validate("native-pages"); }
        catch (ConfigurationException e) { throw new ConfigurationException("compare-workload", $"{workload} does not fit in native-pages = {native}: {e.Message}"); }
        var run = ExperimentRunner.Run(spec);
        var table = new Table("ballooned_vs_native", "vm", "max_pages", "balloon_pages", "usable_pages", "ops", "relative", "overhead_pct", "workload", "balloon_exits_mmio");
        long nativeOps = Measure.OpsAfter(run, "native", CompareWarmupMilliseconds);
        foreach (var vm in run.Host.Vms)
        {
            long ops = Measure.OpsAfter(run, vm.Name, CompareWarmupMilliseconds);
            double rel = nativeOps > 0 ? (double)ops / nativeOps : 0;
            table.Add(vm.Name, (long)vm.Memory.Pages, (long)vm.Memory.BalloonedPages, (long)(vm.Memory.Pages - vm.Memory.BalloonedPages), ops, rel,
                100 * (1 - rel), workload.ToString(), vm.Exits.InFamily(VmExitReason.Mmio));
        }
        return table;
    }
}
