using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>
/// Memory overcommit about 1.5x: VMs whose memory demand changes in phases (the <c>phases</c>
/// workload allocates and walks N pages, frees them and sleeps, out of step with each other), run
/// under four reclamation settings: none, ballooning only, host swapping only, both. Throughput is
/// each guest's own progress counter relative to the same VM on a host with RAM to spare; swap
/// traffic and balloon sizes come from the hypervisor's counters. Nothing is fitted: the
/// differences come from the guest's balloon driver, deflate-on-OOM, random victim selection and
/// the swap-in stall.
/// <example>
/// <code>
/// var result = Ballooning.Run(new() { Overcommit = 1.3 });
/// result.Headline.ThroughputVersusUnconstrained("balloon")
/// </code>
/// </example>
/// </summary>
public static class Ballooning
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "ballooning";

    /// <summary>The baseline mode: the same VMs on a host with RAM to spare.</summary>
    public const string Unconstrained = "unconstrained";

    /// <summary>The modes compared: the baseline, then the four <see cref="ReclamationSetting"/>s from none to both.</summary>
    public static readonly IReadOnlyList<string> Modes = [Unconstrained, "none", "balloon", "swap", "balloon+swap"];

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<BallooningOptions, BallooningResult>(Name,
        "Phased memory demand on a ~1.5x overcommitted host: no reclamation vs ballooning vs host swapping vs both", Run);

    /// <summary>Frames the hypervisor keeps for itself (the same as the host default).</summary>
    private const int HypervisorPages = 256;

    /// <summary>The boot (touching the pages, inflating the balloon) is over well before this; ops are counted from here on.</summary>
    internal const double CompareWarmupMilliseconds = 50;

    /// <summary>
    /// Runs the VMs in every mode, then the ballooned-vs-native comparison. Throws
    /// <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static BallooningResult Run(BallooningOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        int n = options.Vms, vmPages = options.VmPages;
        double duration = options.DurationMilliseconds;
        int available = (int)Math.Round(n * vmPages / options.Overcommit);
        var slices = new ProgressSlices(progress, Modes.Count + 1);

        var rows = new List<BallooningRow>();
        var runs = new List<BallooningRun>();
        var baseline = new Dictionary<string, double>();
        foreach (string mode in Modes)
        {
            var setting = mode == Unconstrained ? ReclamationSetting.None : ReclamationSetting.Parse(mode, out _)!;
            var spec = new ExperimentSpec
            {
                Host = new HostConfig
                {
                    Cores = n, RamPages = (mode == Unconstrained ? n * vmPages * 2 : available) + HypervisorPages, HypervisorMemoryPages = HypervisorPages,
                    ReclamationPolicy = setting.Policy(), ReclamationThresholds = options.Thresholds, SwapOnDemand = setting.Swapping,
                },
                Vms = Enumerable.Range(0, n).Select(i => new VmConfig
                {
                    Name = $"vm{i}", MemoryPages = vmPages, TickMilliseconds = 1,
                    Workload = Workload.Phases((uint)options.DemandPages, ticks: 10, startDelayTicks: (uint)(20 * i), idleTicks: 40),   // out of step with each other
                }).ToList(),
                DurationMilliseconds = duration, SampleMilliseconds = Math.Max(1, duration / 50), Seed = options.Seed,
            };
            var run = ExperimentRunner.Run(spec, slices.Slice(runs.Count));
            var host = run.Host;
            runs.Add(new BallooningRun(mode, run.VmSamples, run.HostSamples));
            long periods = Math.Max(1, host.PeriodsInState.Sum());
            foreach (var vm in host.Vms)
            {
                double ops = vm.Progress;
                if (mode == Unconstrained) baseline[vm.Name] = ops;
                double relative = baseline.TryGetValue(vm.Name, out double b) && b > 0 ? ops / b : 0;
                // The peak balloon as the samples of the series saw it.
                int peak = run.SamplesOf(vm.Name).Max(s => s.BalloonedPages);
                rows.Add(new BallooningRow(mode, vm.Name, (long)ops, relative, vm.Crashed, vm.Memory.MappedPages, peak, vm.Memory.SwapOuts, vm.Memory.SwapIns,
                    vm.SwapInStallCycles / (double)host.Config.CyclesPerMillisecond, vm.Memory.DeflatedTotal,
                    Measure.Percent(host.PeriodsInState[(int)ReclamationState.Soft], periods),
                    Measure.Percent(host.PeriodsInState[(int)ReclamationState.Hard] + host.PeriodsInState[(int)ReclamationState.Low], periods)));
            }
            slices.Completed(runs.Count);
        }
        var comparison = BalloonedVersusNative(vmPages, options.NativePages, options.CompareWorkload, options.CompareMilliseconds, options.Seed, slices.Slice(Modes.Count));
        slices.Completed(Modes.Count + 1);

        var t = options.Thresholds;
        var (ballooned, native) = (comparison[0], comparison[1]);
        return new BallooningResult(options, rows, comparison, runs,
        [
            Invariant($"{n} VMs of {vmPages} pages on {available} pages of guest RAM (overcommit {n * vmPages / (double)available:F2}x); each VM allocates and walks {options.DemandPages} pages for 10 ticks, frees them and sleeps 40 ticks; VM i starts 20*i ticks late. A crashed VM keeps the progress it made before its out-of-memory fault."),
            Invariant($"Thresholds high/soft/hard/low = {t.High:P0}/{t.Soft:P0}/{t.Hard:P0}/{t.Low:P0} of guest RAM. ESX uses 6/4/2/1% of a host with GiBs; on this {available}-page host 6% is fewer pages than a guest faults in during the ~2 ms the balloon needs to answer, so the default is scaled up (try --thresholds 0.06,0.04,0.02,0.01)."),
            "relative = guest progress / the same VM on a host with RAM to spare. Swap-in stall: CostModel.SwapInCycles per swapped-in page.",
            Invariant($"ballooned_vs_native: a {vmPages}-page VM whose balloon the host sets to {ballooned.BalloonPages} pages at boot (no reclamation policy, so nothing lets it down) against a VM configured with {native.MaxPages} pages, ") +
            Invariant($"both running {ballooned.Workload} alone on a host with RAM to spare; ops counted from {CompareWarmupMilliseconds} ms to the end of the comparison run (--compare-ms). ESX measured 1.4-4.4% overhead, from guest data structures sized for the larger memory; this guest kernel sizes nothing by its RAM."),
        ]);
    }

    /// <summary>
    /// ESX's check that a balloon costs the guest almost nothing: a VM of <paramref name="vmPages"/>
    /// pages ballooned down to <paramref name="nativePages"/> at boot, next to a VM configured with
    /// <paramref name="nativePages"/>, both running <paramref name="workload"/> alone on their cores
    /// for <paramref name="duration"/> simulated ms. Both run the balloon driver (it polls in both);
    /// only the ballooned one inflates. Throughput is each guest's progress counter after the boot.
    /// Returns the ballooned VM's row, then the native one's.
    /// </summary>
    public static IReadOnlyList<BalloonedVersusNativeRow> BalloonedVersusNative(int vmPages, int nativePages, Workload workload, double duration, int seed, IProgress<double>? progress = null)
    {
        int native = nativePages;
        if (native < 16 || native >= vmPages) throw new ConfigurationException("native-pages", $"{native} is not between 16 and vm-pages - 1 ({vmPages - 1})");
        if (duration <= CompareWarmupMilliseconds) throw new ConfigurationException("compare-ms", Invariant($"{duration} is too short for the ballooned-vs-native comparison (needs more than {CompareWarmupMilliseconds})"));
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
        var run = ExperimentRunner.Run(spec, progress);
        long nativeOps = run.OpsAfter("native", CompareWarmupMilliseconds);
        return run.Host.Vms.Select(vm =>
        {
            long ops = run.OpsAfter(vm.Name, CompareWarmupMilliseconds);
            double relative = nativeOps > 0 ? (double)ops / nativeOps : 0;
            return new BalloonedVersusNativeRow(vm.Name, vm.Memory.Pages, vm.Memory.BalloonedPages, vm.Memory.Pages - vm.Memory.BalloonedPages, ops, relative,
                100 * (1 - relative), workload, vm.Exits.InFamily(VmExitReason.Mmio));
        }).ToList();
    }
}
