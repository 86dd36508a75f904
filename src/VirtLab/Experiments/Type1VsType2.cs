using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Scheduling;

namespace VirtLab.Experiments;

/// <summary>
/// The same workloads under a bare-metal (Type 1) and a hosted (Type 2) hypervisor, each alone in a
/// VM, compared with the workload on the bare machine. The difference comes only from the
/// mechanisms: the extra host-kernel round trip per exit and per interrupt, competition with host
/// processes, and the host OS's memory.
/// <example>
/// <code>
/// var result = Type1VsType2.Run(new() { Workloads = [Workload.ExitMmio(20000)] });
/// result.Headline.RelativeToBare(Workload.ExitMmio(20000), HypervisorKind.Type2)
/// </code>
/// </example>
/// </summary>
public static class Type1VsType2
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "type1-vs-type2";

    /// <summary>The <see cref="Type1VsType2Row.Host"/> of the rows measured on the bare machine.</summary>
    public const string Bare = "bare";

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<Type1VsType2Options, Type1VsType2Result>(Name,
        "CPU-bound, exit-heavy and I/O-like guests on Type 1 vs Type 2, relative to the bare machine", Run);

    /// <summary>The <see cref="Type1VsType2Row.Host"/> of the rows measured under <paramref name="kind"/>: <c>type1</c> or <c>type2</c>.</summary>
    public static string HostOf(HypervisorKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// The guest's timer tick, the same on the bare machine and in the VMs: 10 ms (a HZ=100 kernel),
    /// except for the I/O-like workload, which completes one operation per tick it sleeps: at 10 ms
    /// a 200 ms run holds some 18 of them, and one more or fewer at the edges of the measured window
    /// would read as a 6 % difference. With a 1 ms tick (HZ=1000) it holds some 180.
    /// </summary>
    private static double TickMillisecondsFor(Workload w) => w.Kind == WorkloadKind.Io ? 1 : 10;

    /// <summary>
    /// RAM of the Type 1 and Type 2 hosts: 18 MiB, the host OS's 16 MiB (<see cref="HostConfig.HostOsMemoryPages"/>)
    /// and room for two VMs of the default size, of which the run has one. A host's RAM is one block
    /// that must be zeroed when it is made, so a smaller host is quicker to build; the guest sees no difference.
    /// </summary>
    private const int HostRamPages = 4_608;

    /// <summary>
    /// Runs each workload on the bare machine, then alone in a VM on a Type 1 and on a Type 2 host.
    /// Throws <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static Type1VsType2Result Run(Type1VsType2Options? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        double duration = options.DurationMilliseconds;
        var costs = new CostModel { VmExitCycles = options.ExitCycles, HostKernelRoundTripCycles = options.HostRoundTripCycles };
        var background = options.Background switch
        {
            BackgroundLoad.Default => HostConfig.DefaultBackground,
            BackgroundLoad.Busy => HostConfig.BusyBackground,
            _ => [],
        };
        // One thread per core and no pipeline model: the bare machine runs one instruction per cycle too.
        var core = new SmtCoreModel { Pipelined = false };
        double warmup = Math.Min(20, duration / 5);

        var rows = new List<Type1VsType2Row>();
        var slices = new ProgressSlices(progress, options.Workloads.Count * 3);
        foreach (var w in options.Workloads)
        {
            var timing = new HostConfig();
            // The paravirtual workload cannot run without a hypervisor: its bare baseline is the trapping version of the same work.
            var bareWorkload = w.Kind == WorkloadKind.ExitPv ? w with { Kind = WorkloadKind.ExitMmio } : w;
            double tick = TickMillisecondsFor(w);
            double bare = BareMachine.OpsPerSecond(bareWorkload, duration, warmup, timing, tick);
            rows.Add(new Type1VsType2Row(w, Bare, bare, 1.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0.0));
            slices.Completed(rows.Count);
            foreach (var kind in new[] { HypervisorKind.Type1, HypervisorKind.Type2 })
            {
                var spec = new ExperimentSpec
                {
                    Host = new HostConfig { Cores = options.Cores, Kind = kind, RamPages = HostRamPages, Costs = costs, Core = core, BackgroundProcesses = background },
                    Vms = [new VmConfig { Name = "guest", Workload = w, TickMilliseconds = tick }],
                    DurationMilliseconds = duration, SampleMilliseconds = Math.Min(10, duration / 10), Seed = options.Seed,
                };
                var run = ExperimentRunner.Run(spec, slices.Slice(rows.Count));
                var vm = run.Host.Vms[0];
                var v = vm.Vcpus[0];
                double cyclesPerMs = run.Host.Config.CyclesPerMillisecond;
                double latencyUs = vm.TimerInterrupts > 0 ? vm.TimerLatencyTotal / (double)vm.TimerInterrupts / cyclesPerMs * 1000 : 0;
                double ops = run.OpsPerSecond("guest", warmup);
                rows.Add(new Type1VsType2Row(w, HostOf(kind), ops, bare > 0 ? ops / bare : 0,
                    vm.Exits.Total / duration, Measure.Percent(vm.Exits.TotalCycles, v.Sched.RunCycles), latencyUs,
                    vm.TimerLatencyMax / cyclesPerMs * 1000, vm.Memory.MappedPages, run.Host.ReservedPages, Measure.Percent(v.Sched.ReadyCycles, run.Host.Now)));
                slices.Completed(rows.Count);
            }
        }
        return new Type1VsType2Result(options, rows,
        [
            "Time is scaled: 1 simulated ms = 100,000 cycles; exit costs are in real cycles (see HostConfig).",
            "exit-pv is compared with the bare machine running the trapping (exit-mmio) version of the same work.",
            "Type 2 adds the host round trip only to exits its user-space device models serve (UART, block, balloon; console and notify hypercalls); " +
            "CPU virtualization, interrupt injection and the CLINT are handled in the host kernel, as in KVM.",
        ]);
    }
}
