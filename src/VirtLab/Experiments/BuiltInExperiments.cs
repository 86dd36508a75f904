using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Scheduling;

namespace VirtLab.Experiments;

internal static class Measure
{
    /// <summary>Operations per simulated second of a VM between <paramref name="fromMs"/> and the end of the run.</summary>
    public static double OpsPerSecond(RunOutcome o, string vm, double fromMs)
    {
        var rows = o.VmSeries.Rows.Where(r => (string)r[1] == vm).ToList();
        var first = rows.LastOrDefault(r => (double)r[0] <= fromMs + 1e-9) ?? rows[0];
        var last = rows[^1];
        double ms = (double)last[0] - (double)first[0];
        if (ms <= 0) { first = rows[0]; ms = (double)last[0]; }
        return ((ulong)last[3] - (ulong)first[3]) / (ms / 1000.0);
    }

    /// <summary>Operations a VM reported between the sample at or before <paramref name="fromMs"/> (or the start) and the last sample.</summary>
    public static long OpsAfter(RunOutcome o, string vm, double fromMs)
    {
        var rows = o.VmSeries.Rows.Where(r => (string)r[1] == vm).ToList();
        var first = rows.LastOrDefault(r => (double)r[0] <= fromMs + 1e-9);
        return (long)((ulong)rows[^1][3] - (first is null ? 0 : (ulong)first[3]));
    }

    public static double Pct(double part, double whole) => whole > 0 ? 100 * part / whole : 0;
}

/// <summary>
/// The same workloads under a bare-metal (Type 1) and a hosted (Type 2) hypervisor, each alone in a
/// VM, compared with the workload on the bare machine. The difference comes only from the
/// mechanisms: the extra host-kernel round trip per exit and per interrupt, competition with host
/// processes, and the host OS's memory.
/// </summary>
public sealed class Type1VsType2Experiment : IExperiment
{
    public string Name => "type1-vs-type2";
    public string Description => "CPU-bound, exit-heavy and I/O-like guests on Type 1 vs Type 2, relative to the bare machine";
    public IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["duration-ms"] = "200", ["cores"] = "2", ["workloads"] = "cpu;exit-mmio:work=20000;exit-pv:work=20000;io:work=200,sleep=1",
        ["exit-cycles"] = "1200", ["host-round-trip-cycles"] = "6000", ["background"] = "default",
    };

    /// <summary>
    /// The guest's timer tick, the same on the bare machine and in the VMs: 10 ms (a HZ=100 kernel),
    /// except for the I/O-like workload, which completes one operation per tick it sleeps: at 10 ms
    /// a 200 ms run holds some 18 of them, and one more or fewer at the edges of the measured window
    /// would read as a 6 % difference. With a 1 ms tick (HZ=1000) it holds some 180.
    /// </summary>
    private static double TickMillisecondsFor(Workload w) => w.Kind == WorkloadKind.Io ? 1 : 10;

    public ExperimentResult Run(IReadOnlyDictionary<string, string> o, int seed, IProgress<double>? progress = null)
    {
        double duration = Options.Double(o, Defaults, "duration-ms", 20);
        int cores = Options.Int(o, Defaults, "cores", 1, HostConfig.MaxCores);
        var workloads = Options.Get(o, Defaults, "workloads").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => Options.Workload(w, "workloads")).ToList();
        var costs = new CostModel
        {
            VmExitCycles = (ulong)Options.Double(o, Defaults, "exit-cycles", 0),
            HostKernelRoundTripCycles = (ulong)Options.Double(o, Defaults, "host-round-trip-cycles", 0),
        };
        string bg = Options.Get(o, Defaults, "background");
        var background = bg switch
        {
            "default" => HostConfig.DefaultBackground,
            "busy" => HostConfig.BusyBackground,
            "none" => [],
            _ => throw new ConfigurationException("background", $"'{bg}' is not 'default', 'busy' or 'none'"),
        };
        // One thread per core and no pipeline model: the bare machine runs one instruction per cycle too.
        var core = new SmtCoreModel { Pipelined = false };
        double warmup = Math.Min(20, duration / 5);

        var result = new ExperimentResult(Name);
        var table = new Table("throughput", "workload", "host", "ops_per_s", "relative_to_bare", "exits_per_ms", "exit_cpu_pct",
            "timer_latency_us_mean", "timer_latency_us_max", "vm_mapped_pages", "host_reserved_pages", "vcpu_ready_pct");
        result.Tables.Add(table);
        int runs = workloads.Count * 3, done = 0;
        foreach (var w in workloads)
        {
            var timing = new HostConfig();
            // The paravirtual workload cannot run without a hypervisor: its bare baseline is the trapping version of the same work.
            var bareWorkload = w.Kind == WorkloadKind.ExitPv ? w with { Kind = WorkloadKind.ExitMmio } : w;
            double tick = TickMillisecondsFor(w);
            double bare = BareMachine.OpsPerSecond(bareWorkload, duration, warmup, timing, tick);
            table.Add(w.ToString(), "bare", bare, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
            progress?.Report(++done / (double)runs);
            foreach (var kind in new[] { HypervisorKind.Type1, HypervisorKind.Type2 })
            {
                var spec = new ExperimentSpec
                {
                    Host = new HostConfig { Cores = cores, Kind = kind, Costs = costs, Core = core, BackgroundProcesses = background },
                    Vms = [new VmConfig { Name = "guest", Workload = w, TickMilliseconds = tick }],
                    DurationMilliseconds = duration, SampleMilliseconds = Math.Min(10, duration / 10), Seed = seed,
                };
                var run = ExperimentRunner.Run(spec);
                var vm = run.Host.Vms[0];
                double ops = Measure.OpsPerSecond(run, "guest", warmup);
                var v = vm.Vcpus[0];
                double latencyUs = vm.TimerInterrupts > 0 ? vm.TimerLatencyTotal / (double)vm.TimerInterrupts / run.Host.Config.CyclesPerMillisecond * 1000 : 0;
                table.Add(w.ToString(), kind == HypervisorKind.Type1 ? "type1" : "type2", ops, bare > 0 ? ops / bare : 0,
                    vm.Exits.Total / duration, Measure.Pct(vm.Exits.TotalCycles, v.Sched.RunCycles), latencyUs,
                    vm.TimerLatencyMax / (double)run.Host.Config.CyclesPerMillisecond * 1000, (double)vm.Memory.MappedPages,
                    (double)run.Host.ReservedPages, Measure.Pct(v.Sched.ReadyCycles, run.Host.Now));
                progress?.Report(++done / (double)runs);
            }
        }
        foreach (var w in workloads)
        {
            string name = w.ToString();
            var rows = table.Rows.Where(r => (string)r[0] == name).ToList();
            double r1 = (double)rows.First(r => (string)r[1] == "type1")[3], r2 = (double)rows.First(r => (string)r[1] == "type2")[3];
            double l1 = (double)rows.First(r => (string)r[1] == "type1")[6], l2 = (double)rows.First(r => (string)r[1] == "type2")[6];
            result.Headlines.Add((name, $"type1 {r1:P1} of bare, type2 {r2:P1}; timer latency {l1:F0} us vs {l2:F0} us"));
        }
        result.Notes.Add("Time is scaled: 1 simulated ms = 100,000 cycles; exit costs are in real cycles (see HostConfig).");
        result.Notes.Add("exit-pv is compared with the bare machine running the trapping (exit-mmio) version of the same work.");
        result.Notes.Add("Type 2 adds the host round trip only to exits its user-space device models serve (UART, block, balloon; console and notify hypercalls); " +
            "CPU virtualization, interrupt injection and the CLINT are handled in the host kernel, as in KVM.");
        return result;
    }
}

/// <summary>
/// Sweeps the vCPU:pCPU ratio for CPU-bound and for mostly idle single-vCPU VMs and reports per-vCPU
/// CPU ready %, throughput per VM and host utilization.
/// </summary>
public sealed class CpuOvercommitExperiment : IExperiment
{
    public string Name => "cpu-overcommit";
    public string Description => "Sweep vCPU:pCPU for CPU-bound and mostly idle VMs: ready %, throughput per VM, host utilization";
    public IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["duration-ms"] = "200", ["pcpus"] = "2", ["ratios"] = "1,2,3,4,6,8",
        ["busy-workload"] = "cpu", ["idle-workload"] = "io:work=2000,sleep=2", ["kind"] = "type1",
    };

    public ExperimentResult Run(IReadOnlyDictionary<string, string> o, int seed, IProgress<double>? progress = null)
    {
        double duration = Options.Double(o, Defaults, "duration-ms", 20);
        int pcpus = Options.Int(o, Defaults, "pcpus", 1, HostConfig.MaxCores);
        var ratios = Options.Doubles(o, Defaults, "ratios");
        var busy = Options.Workload(Options.Get(o, Defaults, "busy-workload"), "busy-workload");
        var idle = Options.Workload(Options.Get(o, Defaults, "idle-workload"), "idle-workload");
        string k = Options.Get(o, Defaults, "kind");
        var kind = k switch { "type1" => HypervisorKind.Type1, "type2" => HypervisorKind.Type2, _ => throw new ConfigurationException("kind", $"'{k}' is not type1 or type2") };
        double warmup = Math.Min(30, duration / 5);

        var result = new ExperimentResult(Name);
        var table = new Table("overcommit", "vms", "ratio", "vcpus", "ready_pct_mean", "ready_pct_max", "ops_per_s_per_vm", "relative_per_vm", "host_utilization");
        result.Tables.Add(table);
        int total = ratios.Count * 2, done = 0;
        foreach (var (label, workload) in new[] { ("cpu-bound", busy), ("mostly-idle", idle) })
        {
            double baseline = 0;
            foreach (double ratio in ratios)
            {
                int n = Math.Max(1, (int)Math.Round(ratio * pcpus));
                var spec = new ExperimentSpec
                {
                    Host = new HostConfig { Cores = pcpus, Kind = kind, RamPages = 8192 + n * 300 },
                    Vms = Enumerable.Range(0, n).Select(i => new VmConfig { Name = $"vm{i}", Workload = workload }).ToList(),
                    DurationMilliseconds = duration, SampleMilliseconds = Math.Min(10, duration / 10), Seed = seed,
                };
                var run = ExperimentRunner.Run(spec);
                var vcpus = run.Host.Vms.SelectMany(v => v.Vcpus).ToList();
                var ready = vcpus.Select(v => Measure.Pct(v.Sched.ReadyCycles + v.Sched.CoStopCycles, run.Host.Now)).ToList();
                double ops = run.Host.Vms.Average(v => Measure.OpsPerSecond(run, v.Name, warmup));
                if (baseline == 0) baseline = ops;
                table.Add(label, ratio, n, ready.Average(), ready.Max(), ops, baseline > 0 ? ops / baseline : 0,
                    run.Host.BusyCycles / (double)run.Host.CapacityCycles);
                progress?.Report(++done / (double)total);
            }
        }
        foreach (var label in new[] { "cpu-bound", "mostly-idle" })
        {
            var rows = table.Rows.Where(r => (string)r[0] == label).ToList();
            result.Headlines.Add(($"{label} ready %", string.Join(", ", rows.Select(r => $"{(double)r[1]}:1 -> {(double)r[3]:F1}%"))));
        }
        result.Notes.Add("Ready % = ready (and co-stop) time / elapsed per vCPU, averaged over vCPUs; under 5% fine, over 10% a problem.");
        return result;
    }
}

/// <summary>
/// Pairs of workloads on one core with SMT on and off, relative to each alone; then placement
/// policies on a 2-core SMT host. What SMT gains or loses comes out of <see cref="SmtCoreModel"/>
/// replaying the instructions each vCPU was sampled executing.
/// </summary>
public sealed class SmtExperiment : IExperiment
{
    public string Name => "smt";
    public string Description => "Workload pairs on one core with SMT on/off, and SMT-aware vs packed vs one-thread-per-core vs same-VM-siblings placement";
    public IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["duration-ms"] = "200",
        ["pairs"] = "alu+alu;cpu+cpu;mem:pages=12+mem:pages=12;mem:pages=40+mem:pages=40;cpu+mem:pages=40",
        ["cache-kib"] = "256", ["placement-workload"] = "alu",
    };

    public ExperimentResult Run(IReadOnlyDictionary<string, string> o, int seed, IProgress<double>? progress = null)
    {
        double duration = Options.Double(o, Defaults, "duration-ms", 20);
        double cacheKiB = Options.Double(o, Defaults, "cache-kib", 1);
        var core = new SmtCoreModel { CacheBytes = cacheKiB * 1024 };
        var pairs = Options.Get(o, Defaults, "pairs").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p =>
            {
                var parts = p.Split('+');
                if (parts.Length != 2) throw new ConfigurationException("pairs", $"'{p}' is not WORKLOAD+WORKLOAD");
                return (Options.Workload(parts[0], "pairs"), Options.Workload(parts[1], "pairs"));
            }).ToList();
        double warmup = Math.Min(30, duration / 3);
        var result = new ExperimentResult(Name);

        RunOutcome RunHost(HostConfig host, params Workload[] ws) => ExperimentRunner.Run(new ExperimentSpec
        {
            Host = host with { Core = core, RamPages = 4096 },
            Vms = ws.Select((w, i) => new VmConfig { Name = $"t{i}", Workload = w, MemoryPages = 256 }).ToList(),
            DurationMilliseconds = duration, SampleMilliseconds = Math.Min(5, duration / 10), Seed = seed,
        });

        var pairTable = new Table("pairs", "pair", "smt", "thread0_relative", "thread1_relative", "core_relative");
        result.Tables.Add(pairTable);
        int total = pairs.Count * 4 + 6, done = 0;
        foreach (var (a, b) in pairs)
        {
            double aloneA = Measure.OpsPerSecond(RunHost(new HostConfig { Cores = 1 }, a), "t0", warmup); progress?.Report(++done / (double)total);
            double aloneB = Measure.OpsPerSecond(RunHost(new HostConfig { Cores = 1 }, b), "t0", warmup); progress?.Report(++done / (double)total);
            foreach (bool smt in new[] { true, false })
            {
                var run = RunHost(new HostConfig { Cores = 1, ThreadsPerCore = smt ? 2 : 1 }, a, b);
                double ra = Measure.OpsPerSecond(run, "t0", warmup) / aloneA, rb = Measure.OpsPerSecond(run, "t1", warmup) / aloneB;
                pairTable.Add($"{a}+{b}", smt ? "on" : "off", ra, rb, ra + rb);
                progress?.Report(++done / (double)total);
            }
        }

        // Placement on a 2-core SMT host: busy vCPUs of ALU-bound (alu) guests, as one-vCPU VMs or as two-vCPU VMs.
        var placement = new Table("placement", "policy", "vms", "vcpus", "hardware_threads_usable", "total_ops_per_s", "relative_to_smt_aware");
        result.Tables.Add(placement);
        var busy = Options.Workload(Options.Get(o, Defaults, "placement-workload"), "placement-workload");
        double Total(RunOutcome run) => run.Host.Vms.Sum(v => Measure.OpsPerSecond(run, v.Name, warmup));
        RunOutcome RunVms(HostConfig host, int vms, int vcpusEach) => ExperimentRunner.Run(new ExperimentSpec
        {
            Host = host with { Core = core, RamPages = 4096 },
            Vms = Enumerable.Range(0, vms).Select(i => new VmConfig { Name = $"t{i}", Workload = busy, Vcpus = vcpusEach, MemoryPages = 256 }).ToList(),
            DurationMilliseconds = duration, SampleMilliseconds = Math.Min(5, duration / 10), Seed = seed,
        });
        var smt2 = new HostConfig { Cores = 2, ThreadsPerCore = 2 };
        double aware = 0;
        foreach (var (policy, config, vms, vcpusEach) in new (string, HostConfig, int, int)[]
        {
            ("smt-aware", smt2 with { Placement = SmtPlacement.SmtAware }, 2, 1),
            ("packed", smt2 with { Placement = SmtPlacement.Packed }, 2, 1),
            ("smt-aware", smt2, 4, 1),
            ("one-thread-per-core", smt2 with { OneThreadPerCore = true }, 4, 1),
            ("same-vm-siblings", smt2 with { Placement = SmtPlacement.SameVmSiblings }, 4, 1),
            ("same-vm-siblings", smt2 with { Placement = SmtPlacement.SameVmSiblings }, 2, 2),
        })
        {
            double ops = Total(RunVms(config, vms, vcpusEach));
            if (aware == 0) aware = ops;
            placement.Add(policy, vms, vms * vcpusEach, config.UsableThreads, ops, ops / aware);
            progress?.Report(++done / (double)total);
        }
        double Row(string policy, int vms, int vcpus) => (double)placement.Rows.First(r => (string)r[0] == policy && (int)r[1] == vms && (int)r[2] == vcpus)[4];
        double four = Row("smt-aware", 4, 4);

        result.Notes.Add("Core: in-order, two-issue, two ALUs, one multiplier, one load/store port, 256 KiB shared cache (SmtCoreModel). " +
            "alu has four independent chains (fills both ALUs alone); cpu is one multiply-add-shift chain (latency-bound).");
        foreach (var r in pairTable.Rows.Where(r => (string)r[1] == "on"))
            result.Headlines.Add(((string)r[0], $"SMT core throughput {(double)r[4]:F2}x of one thread alone (per thread {(double)r[2]:F2} / {(double)r[3]:F2})"));
        result.Headlines.Add(("placement", $"packed gets {Row("packed", 2, 2) / aware:P0} of smt-aware; with 4 busy vCPUs one-thread-per-core loses {1 - Row("one-thread-per-core", 4, 4) / four:P0} vs SMT, " +
            $"same-vm-siblings gets {Row("same-vm-siblings", 4, 4) / four:P0} of SMT's throughput with one-vCPU VMs and {Row("same-vm-siblings", 2, 4) / four:P0} with two-vCPU VMs"));
        return result;
    }
}
