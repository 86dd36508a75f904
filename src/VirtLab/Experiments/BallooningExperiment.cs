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
        var th = Options.Doubles(o, Defaults, "thresholds");
        if (th.Count != 4 || !(th[0] > th[1] && th[1] > th[2] && th[2] > th[3] && th[0] < 1))
            throw new ConfigurationException("thresholds", "needs four falling fractions below 1: high,soft,hard,low");
        var thresholds = new ReclamationThresholds(th[0], th[1], th[2], th[3]);
        const int hypervisorPages = 256;
        int available = (int)Math.Round(n * vmPages / overcommit);

        var result = new ExperimentResult(Name);
        var table = new Table("ballooning", "mode", "vm", "ops", "relative", "crashed", "mapped_end", "ballooned_peak", "swap_outs", "swap_ins",
            "swap_stall_ms", "deflate_on_oom", "soft_pct", "hard_pct");
        var series = new Table("memory_over_time", "mode", "time_ms", "vm", "mapped", "ballooned", "swapped", "balloon_target", "progress", "free", "state");
        result.Tables.Add(table);
        result.Tables.Add(series);
        var baseline = new Dictionary<string, double>();
        int done = 0;
        foreach (string mode in Modes)
        {
            var policy = mode switch
            {
                "unconstrained" or "none" => null,
                _ => new SharesReclamationPolicy { UseBallooning = mode.Contains("balloon"), UseSwapping = mode.Contains("swap") },
            };
            var hostConfig = new HostConfig
            {
                Cores = n, RamPages = (mode == "unconstrained" ? n * vmPages * 2 : available) + hypervisorPages, HypervisorMemoryPages = hypervisorPages,
                ReclamationPolicy = policy, ReclamationThresholds = thresholds, SwapOnDemand = mode.Contains("swap"), Seed = seed,
            };
            var host = new Host(hostConfig);
            for (int i = 0; i < n; i++)
                host.CreateVm(new VmConfig
                {
                    Name = $"vm{i}", MemoryPages = vmPages, TickMilliseconds = 1,
                    Workload = Workload.Phases((uint)demand, ticks: 10, startDelayTicks: (uint)(20 * i), idleTicks: 40),   // out of step with each other
                });
            var peak = new int[n];
            var sample = Math.Max(1, duration / 50);
            for (double t = 0; t < duration - 1e-9; t += sample)
            {
                host.RunFor(Math.Min(sample, duration - t));
                foreach (var vm in host.Vms)
                {
                    peak[vm.Id] = Math.Max(peak[vm.Id], vm.Memory.BalloonedPages);
                    series.Add(mode, Math.Round(host.NowMilliseconds, 3), vm.Name, vm.Memory.MappedPages, vm.Memory.BalloonedPages, vm.Memory.SwappedPages,
                        (long)vm.Balloon.Target, (long)vm.Progress, host.Frames.FreeFrames, host.ReclamationState.ToString());
                }
            }
            long periods = Math.Max(1, host.PeriodsInState.Sum());
            foreach (var vm in host.Vms)
            {
                double ops = vm.Progress;
                if (mode == "unconstrained") baseline[vm.Name] = ops;
                double rel = baseline.TryGetValue(vm.Name, out double b) && b > 0 ? ops / b : 0;
                table.Add(mode, vm.Name, (long)ops, rel, vm.Crashed ? "yes" : "no", vm.Memory.MappedPages, peak[vm.Id], vm.Memory.SwapOuts, vm.Memory.SwapIns,
                    vm.SwapInStallCycles / (double)hostConfig.CyclesPerMillisecond, vm.Memory.DeflatedTotal,
                    Measure.Pct(host.PeriodsInState[(int)ReclamationState.Soft], periods), Measure.Pct(host.PeriodsInState[(int)ReclamationState.Hard] + host.PeriodsInState[(int)ReclamationState.Low], periods));
            }
            progress?.Report(++done / (double)Modes.Length);
        }
        foreach (string mode in Modes.Skip(1))
        {
            var rows = table.Rows.Where(r => (string)r[0] == mode).ToList();
            result.Headlines.Add(($"{mode}: throughput vs unconstrained", $"{rows.Average(r => (double)r[3]):P0} (crashed {rows.Count(r => (string)r[4] == "yes")}, swap-ins {rows.Sum(r => (long)r[8])})"));
        }
        result.Notes.Add($"{n} VMs of {vmPages} pages on {available} pages of guest RAM (overcommit {n * vmPages / (double)available:F2}x); each VM allocates and walks {demand} pages for 10 ticks, frees them and sleeps 40 ticks; VM i starts 20*i ticks late. A crashed VM keeps the progress it made before its out-of-memory fault.");
        result.Notes.Add($"Thresholds high/soft/hard/low = {th[0]:P0}/{th[1]:P0}/{th[2]:P0}/{th[3]:P0} of guest RAM. ESX uses 6/4/2/1% of a host with GiBs; on this {available}-page host 6% is fewer pages than a guest faults in during the ~2 ms the balloon needs to answer, so the default is scaled up (try --thresholds 0.06,0.04,0.02,0.01).");
        result.Notes.Add("relative = guest progress / the same VM on a host with RAM to spare. Swap-in stall: CostModel.SwapInCycles per swapped-in page.");
        return result;
    }
}
