using System.Globalization;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>
/// The idle memory tax (ESX): two VMs with equal shares on an overcommitted host. The idle VM
/// touched a lot of memory once (a boot, a cache warm-up) and now sleeps with it on its free list;
/// the active VM starts a little later and keeps walking a working set that does not fit beside the
/// idle VM's memory. The run is repeated for each tax rate tau. With tau = 0 the policy follows
/// shares alone and pushes both VMs towards equal memory, so the active VM is swapped while idle
/// memory sits unused; with tau = 0.75 an idle page costs four active ones and memory flows from
/// the idle VM to the active one. The active fraction the policy uses is the hypervisor's sampled
/// estimate (<see cref="ActiveMemoryEstimator"/>), never the workload's parameters.
/// </summary>
public sealed class IdleTaxExperiment : IExperiment
{
    public string Name => "idle-tax";
    public string Description => "Idle memory tax: an idle and an active VM of equal shares on an overcommitted host, for several tax rates tau";
    public IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["taus"] = "0,0.75", ["duration-ms"] = "600", ["vm-pages"] = "512", ["idle-pages"] = "400", ["active-pages"] = "400",
        ["guest-ram-pages"] = "700", ["active-start-ms"] = "200", ["thresholds"] = "0.20,0.15,0.10,0.05",
    };

    /// <summary>The guest timer tick of both VMs (ms): the balloon driver polls once per tick.</summary>
    private const double TickMilliseconds = 1;

    /// <summary>The "never" of a phases workload: the idle VM sleeps this many ticks after its one busy phase.</summary>
    private const uint Forever = 1_000_000;

    public ExperimentResult Run(IReadOnlyDictionary<string, string> o, int seed, IProgress<double>? progress = null)
    {
        var taus = Taus(Options.Get(o, Defaults, "taus"));
        double duration = Options.Double(o, Defaults, "duration-ms", 10);
        int vmPages = Options.Int(o, Defaults, "vm-pages", 64, 1 << 16);
        int idlePages = Options.Int(o, Defaults, "idle-pages", 1, vmPages - 32);
        int activePages = Options.Int(o, Defaults, "active-pages", 1, vmPages - 32);
        int guestRam = Options.Int(o, Defaults, "guest-ram-pages", 64, 1 << 20);
        double activeStart = Options.Double(o, Defaults, "active-start-ms", 0);
        var thresholds = Options.Thresholds(o, Defaults, "thresholds");
        const int hypervisorPages = 256;

        var result = new ExperimentResult(Name);
        var table = new Table("idle_tax", "tau", "vm", "mapped_end", "active_est_pages", "active_fraction", "ballooned_end", "balloon_target",
            "swap_outs", "swap_ins", "ops", "ops_per_ms", "touch_faults", "blocked_ms");
        var series = new Table("memory_over_time", "tau", "time_ms", "vm", "mapped", "active_est_pages", "ballooned", "swapped", "free", "state");
        result.Tables.Add(table);
        result.Tables.Add(series);
        int done = 0;
        foreach (double tau in taus)
        {
            var hostConfig = new HostConfig
            {
                Cores = 2, RamPages = guestRam + hypervisorPages, HypervisorMemoryPages = hypervisorPages, IdleMemoryTax = tau,
                ReclamationThresholds = thresholds, Seed = seed,
            };
            var host = new Host(hostConfig);
            // Idle: one short busy phase over idle-pages pages at boot, then asleep with them on its free list.
            var idle = host.CreateVm(new VmConfig
            {
                Name = "idle", MemoryPages = vmPages, TickMilliseconds = TickMilliseconds,
                Workload = Workload.Phases((uint)idlePages, ticks: 2, startDelayTicks: 0, idleTicks: Forever),
            });
            // Active: from active-start-ms on, walks active-pages pages without pause.
            var active = host.CreateVm(new VmConfig
            {
                Name = "active", MemoryPages = vmPages, TickMilliseconds = TickMilliseconds,
                Workload = Workload.Phases((uint)activePages, ticks: Forever, startDelayTicks: (uint)Math.Round(activeStart / TickMilliseconds), idleTicks: 0),
            });
            double sample = Math.Max(1, duration / 60);
            ulong opsAtStart = 0;
            bool measuring = false;
            for (double t = 0; t < duration - 1e-9; t += sample)
            {
                host.RunFor(Math.Min(sample, duration - t));
                if (!measuring && host.NowMilliseconds >= activeStart) { measuring = true; opsAtStart = active.Progress; }
                foreach (var vm in host.Vms)
                    series.Add(tau, Math.Round(host.NowMilliseconds, 3), vm.Name, vm.Memory.MappedPages, vm.ActiveMemory.ActivePages,
                        vm.Memory.BalloonedPages, vm.Memory.SwappedPages, host.Frames.FreeFrames, host.ReclamationState.ToString());
            }
            double measuredMs = Math.Max(1e-9, host.NowMilliseconds - activeStart);
            foreach (var vm in host.Vms)
            {
                ulong ops = vm.Progress;
                double rate = vm == active ? (ops - opsAtStart) / measuredMs : ops / host.NowMilliseconds;
                table.Add(tau, vm.Name, vm.Memory.MappedPages, vm.ActiveMemory.ActivePages, vm.ActiveMemory.ActiveFraction,
                    vm.Memory.BalloonedPages, (long)vm.Balloon.Target, vm.Memory.SwapOuts, vm.Memory.SwapIns, (long)ops, rate,
                    vm.Memory.TouchFaults, vm.MemoryBlockedCycles / (double)hostConfig.CyclesPerMillisecond);
                if (vm.IsStopped) result.Notes.Add($"tau {tau}: {vm.Name} stopped: {vm.StopReason}");
            }
            progress?.Report(++done / (double)taus.Count);
        }
        foreach (double tau in taus)
        {
            var rows = table.Rows.Where(r => (double)r[0] == tau).ToDictionary(r => (string)r[1]);
            result.Headlines.Add(($"tau {tau}: memory idle / active (pages)", $"{rows["idle"][2]} / {rows["active"][2]}, active VM {(double)rows["active"][10]:F1} ops/ms, {rows["active"][8]} swap-ins"));
        }
        result.Notes.Add($"Two VMs of {vmPages} pages, equal shares (1000), on {guestRam} pages of guest RAM. The idle VM touches {idlePages} pages once at boot (one 2-tick busy phase), frees them and sleeps; the active VM starts at {activeStart} ms and walks {activePages} pages for the rest of the run (one op = one walk).");
        result.Notes.Add("active_est_pages: the hypervisor's estimate (sampling 100 random guest pages per 20 ms; the largest of a slow average, a fast average and the running period's count) times the VM's size. ops_per_ms of the active VM counts from its start.");
        result.Notes.Add("The estimate lags: start the active VM before the idle VM's slow average has forgotten its boot (--active-start-ms 100) and both look alike, the active VM is swapped, and a vCPU stalled on swap-ins touches so few pages that it looks idle too.");
        result.Notes.Add($"Thresholds high/soft/hard/low = {thresholds.High:P0}/{thresholds.Soft:P0}/{thresholds.Hard:P0}/{thresholds.Low:P0} of guest RAM (scaled up from ESX's 6/4/2/1% for a host this small; see the ballooning experiment).");
        return result;
    }

    /// <summary>Parses the tax rates: a comma-separated list of numbers in [0, 1).</summary>
    private static List<double> Taus(string text)
    {
        var list = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double tau) || !(tau >= 0 && tau < 1))
                throw new ConfigurationException("taus", $"'{part}' is not a tax rate in [0, 1)");
            list.Add(tau);
        }
        if (list.Count == 0) throw new ConfigurationException("taus", "needs at least one tax rate");
        return list;
    }
}
