using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using static System.FormattableString;

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
/// <example>
/// <code>
/// var result = IdleTax.Run(new() { Taus = [0, 0.5, 0.75] });
/// result.Headline.MappedEnd(0.75, IdleTax.Active)
/// </code>
/// </example>
/// </summary>
public static class IdleTax
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "idle-tax";

    /// <summary>The name of the VM that sleeps on the memory it touched at boot.</summary>
    public const string Idle = "idle";

    /// <summary>The name of the VM that walks its working set.</summary>
    public const string Active = "active";

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<IdleTaxOptions, IdleTaxResult>(Name,
        "Idle memory tax: an idle and an active VM of equal shares on an overcommitted host, for several tax rates tau", Run);

    /// <summary>The guest timer tick of both VMs (ms): the balloon driver polls once per tick.</summary>
    private const double TickMilliseconds = 1;

    /// <summary>The "never" of a phases workload: the idle VM sleeps this many ticks after its one busy phase.</summary>
    private const uint Forever = 1_000_000;

    /// <summary>Frames the hypervisor keeps for itself (the same as the host default).</summary>
    private const int HypervisorPages = 256;

    /// <summary>
    /// Runs the two VMs once per tax rate, sampling their memory 60 times a run. Throws
    /// <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static IdleTaxResult Run(IdleTaxOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        double duration = options.DurationMilliseconds, activeStart = options.ActiveStartMilliseconds;
        var slices = new ProgressSlices(progress, options.Taus.Count);
        var rows = new List<IdleTaxRow>();
        var samples = new List<IdleTaxSample>();
        var notes = new List<string>();
        foreach (double tau in options.Taus)
        {
            ulong opsAtStart = 0;
            bool measuring = false;
            var spec = new ExperimentSpec
            {
                Host = new HostConfig
                {
                    Cores = 2, RamPages = options.GuestRamPages + HypervisorPages, HypervisorMemoryPages = HypervisorPages, IdleMemoryTax = tau,
                    ReclamationThresholds = options.Thresholds,
                },
                Vms =
                [
                    // Idle: one short busy phase over idle-pages pages at boot, then asleep with them on its free list.
                    new VmConfig
                    {
                        Name = Idle, MemoryPages = options.VmPages, TickMilliseconds = TickMilliseconds,
                        Workload = Workload.Phases((uint)options.IdlePages, ticks: 2, startDelayTicks: 0, idleTicks: Forever),
                    },
                    // Active: from active-start-ms on, walks active-pages pages without pause.
                    new VmConfig
                    {
                        Name = Active, MemoryPages = options.VmPages, TickMilliseconds = TickMilliseconds,
                        Workload = Workload.Phases((uint)options.ActivePages, ticks: Forever, startDelayTicks: (uint)Math.Round(activeStart / TickMilliseconds), idleTicks: 0),
                    },
                ],
                DurationMilliseconds = duration, SampleMilliseconds = Math.Max(1, duration / 60), Seed = options.Seed,
                AfterSample = host =>
                {
                    if (!measuring && host.NowMilliseconds >= activeStart) { measuring = true; opsAtStart = host.Vms[1].Progress; }
                    foreach (var vm in host.Vms)
                        samples.Add(new IdleTaxSample(tau, Math.Round(host.NowMilliseconds, 3), vm.Name, vm.Memory.MappedPages, vm.ActiveMemory.ActivePages,
                            vm.Memory.BalloonedPages, vm.Memory.SwappedPages, host.Frames.FreeFrames, host.ReclamationState));
                },
            };
            var run = ExperimentRunner.Run(spec, slices.Slice(rows.Count / 2));
            var host = run.Host;
            double measuredMs = Math.Max(1e-9, host.NowMilliseconds - activeStart);
            foreach (var vm in host.Vms)
            {
                ulong ops = vm.Progress;
                double rate = vm.Name == Active ? (ops - opsAtStart) / measuredMs : ops / host.NowMilliseconds;
                rows.Add(new IdleTaxRow(tau, vm.Name, vm.Memory.MappedPages, vm.ActiveMemory.ActivePages, vm.ActiveMemory.ActiveFraction,
                    vm.Memory.BalloonedPages, vm.Balloon.Target, vm.Memory.SwapOuts, vm.Memory.SwapIns, (long)ops, rate,
                    vm.Memory.TouchFaults, vm.MemoryBlockedCycles / (double)host.Config.CyclesPerMillisecond));
                if (vm.IsStopped) notes.Add(Invariant($"tau {tau}: {vm.Name} stopped: {vm.StopReason}"));
            }
            slices.Completed(rows.Count / 2);
        }
        var t = options.Thresholds;
        notes.Add(Invariant($"Two VMs of {options.VmPages} pages, equal shares (1000), on {options.GuestRamPages} pages of guest RAM. The idle VM touches {options.IdlePages} pages once at boot (one 2-tick busy phase), frees them and sleeps; the active VM starts at {activeStart} ms and walks {options.ActivePages} pages for the rest of the run (one op = one walk)."));
        notes.Add("active_est_pages: the hypervisor's estimate (sampling 100 random guest pages per 20 ms; the largest of a slow average, a fast average and the running period's count) times the VM's size. ops_per_ms of the active VM counts from its start.");
        notes.Add("The estimate lags: start the active VM before the idle VM's slow average has forgotten its boot (--active-start-ms 100) and both look alike, the active VM is swapped, and a vCPU stalled on swap-ins touches so few pages that it looks idle too.");
        notes.Add(Invariant($"Thresholds high/soft/hard/low = {t.High:P0}/{t.Soft:P0}/{t.Hard:P0}/{t.Low:P0} of guest RAM (scaled up from ESX's 6/4/2/1% for a host this small; see the ballooning experiment)."));
        return new IdleTaxResult(options, rows, samples, notes);
    }
}
