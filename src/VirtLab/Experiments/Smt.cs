using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Scheduling;

namespace VirtLab.Experiments;

/// <summary>
/// Pairs of workloads on one core with SMT on and off, relative to each alone; then placement
/// policies on a 2-core SMT host. What SMT gains or loses comes out of <see cref="SmtCoreModel"/>
/// replaying the instructions each vCPU was sampled executing.
/// <example>
/// <code>
/// var result = Smt.Run(new() { Pairs = [new(Workload.Alu(), Workload.Alu())] });
/// result.Headline.CoreThroughput(result.Pairs[0].Pair)     // about 1.15: two ALU-bound threads share two ALUs
/// </code>
/// </example>
/// </summary>
public static class Smt
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "smt";

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<SmtOptions, SmtResult>(Name,
        "Workload pairs on one core with SMT on/off, and SMT-aware vs packed vs one-thread-per-core vs same-VM-siblings placement", Run);

    /// <summary>The placement runs: policy label, host, VMs and vCPUs per VM.</summary>
    private static readonly HostConfig SmtHost = new() { Cores = 2, ThreadsPerCore = 2 };
    private static readonly (string Policy, HostConfig Host, int Vms, int VcpusEach)[] Placements =
    [
        ("smt-aware", SmtHost with { Placement = SmtPlacement.SmtAware }, 2, 1),
        ("packed", SmtHost with { Placement = SmtPlacement.Packed }, 2, 1),
        ("smt-aware", SmtHost, 4, 1),
        ("one-thread-per-core", SmtHost with { OneThreadPerCore = true }, 4, 1),
        ("same-vm-siblings", SmtHost with { Placement = SmtPlacement.SameVmSiblings }, 4, 1),
        ("same-vm-siblings", SmtHost with { Placement = SmtPlacement.SameVmSiblings }, 2, 2),
    ];

    /// <summary>
    /// Runs each pair alone and together (SMT on and off), then the placement policies. Throws
    /// <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static SmtResult Run(SmtOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        double duration = options.DurationMilliseconds;
        var core = new SmtCoreModel { CacheBytes = options.CacheKiB * 1024 };
        double warmup = Math.Min(30, duration / 3);
        var slices = new ProgressSlices(progress, options.Pairs.Sum(p => p.First == p.Second ? 3 : 4) + (options.Placements ? Placements.Length : 0));
        int done = 0;

        RunOutcome RunVms(HostConfig host, IReadOnlyList<Workload> workloads, int vcpusEach = 1)
        {
            var run = ExperimentRunner.Run(new ExperimentSpec
            {
                Host = host with { Core = core, RamPages = 4096 },
                Vms = workloads.Select((w, i) => new VmConfig { Name = $"t{i}", Workload = w, Vcpus = vcpusEach, MemoryPages = 256 }).ToList(),
                DurationMilliseconds = duration, SampleMilliseconds = Math.Min(5, duration / 10), Seed = options.Seed,
            }, slices.Slice(done));
            slices.Completed(++done);
            return run;
        }

        var pairs = new List<SmtPairRow>();
        foreach (var pair in options.Pairs)
        {
            var (a, b) = (pair.First, pair.Second);
            double aloneA = RunVms(new HostConfig { Cores = 1 }, [a]).OpsPerSecond("t0", warmup);
            // The same workload alone, with the same seed, runs the same: a pair of twins needs one alone run.
            double aloneB = b == a ? aloneA : RunVms(new HostConfig { Cores = 1 }, [b]).OpsPerSecond("t0", warmup);
            foreach (bool smt in new[] { true, false })
            {
                var run = RunVms(new HostConfig { Cores = 1, ThreadsPerCore = smt ? 2 : 1 }, [a, b]);
                double ra = run.OpsPerSecond("t0", warmup) / aloneA, rb = run.OpsPerSecond("t1", warmup) / aloneB;
                pairs.Add(new SmtPairRow(pair, smt, ra, rb, ra + rb));
            }
        }

        // Placement on a 2-core SMT host: busy vCPUs of ALU-bound guests, as one-vCPU VMs or as two-vCPU VMs.
        var placements = new List<SmtPlacementRow>();
        double aware = 0;
        foreach (var (policy, host, vms, vcpusEach) in options.Placements ? Placements : [])
        {
            var run = RunVms(host, Enumerable.Repeat(options.PlacementWorkload, vms).ToList(), vcpusEach);
            double ops = run.Host.Vms.Sum(v => run.OpsPerSecond(v.Name, warmup));
            if (aware == 0) aware = ops;
            placements.Add(new SmtPlacementRow(policy, vms, vms * vcpusEach, host.UsableThreads, ops, ops / aware));
        }
        return new SmtResult(options, pairs, placements,
        [
            "Core: in-order, two-issue, two ALUs, one multiplier, one load/store port, 256 KiB shared cache (SmtCoreModel). " +
            "alu has four independent chains (fills both ALUs alone); cpu is one multiply-add-shift chain (latency-bound).",
        ]);
    }
}
