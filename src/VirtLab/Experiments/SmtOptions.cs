using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="Smt"/>.</summary>
public sealed record SmtOptions : ExperimentOptions
{
    /// <summary>Simulated time of each run (ms); the first third, up to 30 ms, is warm-up and not measured. Default: 200.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 200;

    /// <summary>
    /// The workload pairs run on one core, each pair written WORKLOAD+WORKLOAD (separated by semicolons on the
    /// command line; mem:pages=N walks N pages of 4 KiB, touching one word every stride bytes; rounds is loop
    /// iterations per operation). Each pair runs each workload alone (once for a pair of the same workload), then both with SMT on and off.
    /// Empty: no pair runs (the placement runs only). Default: alu:rounds=100+alu:rounds=100;cpu:rounds=100+cpu:rounds=100;mem:pages=12,stride=64+mem:pages=12,stride=64;mem:pages=40,stride=64+mem:pages=40,stride=64;cpu:rounds=100+mem:pages=40,stride=64.
    /// </summary>
    public IReadOnlyList<WorkloadPair> Pairs { get; init; } =
    [
        new(Workload.Alu(), Workload.Alu()), new(Workload.Cpu(), Workload.Cpu()), new(Workload.Memory(12), Workload.Memory(12)),
        new(Workload.Memory(40), Workload.Memory(40)), new(Workload.Cpu(), Workload.Memory(40)),
    ];

    /// <summary>The cache the two hardware threads of a core share (KiB). Default: 256.</summary>
    [OptionName("cache-kib")]
    public double CacheKiB { get; init; } = 256;

    /// <summary>The workload of every busy vCPU in the placement runs. Default: alu:rounds=100.</summary>
    public Workload PlacementWorkload { get; init; } = Workload.Alu();

    /// <summary>
    /// Whether to run the placements: six runs of busy vCPUs on a host of two cores with two hardware threads
    /// each (smt-aware and packed with two vCPUs; smt-aware, one-thread-per-core and same-vm-siblings with four).
    /// False: the pairs only. Default: true.
    /// </summary>
    public bool Placements { get; init; } = true;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 20);
        Require(Pairs is not null, nameof(Pairs), "must not be null (an empty list runs no pairs)");
        Require(Pairs!.Count > 0 || Placements, nameof(Pairs), "is empty and placements is false: there is nothing to run");
        foreach (var p in Pairs)
        {
            Require(p is not null, nameof(Pairs), "a pair is missing");
            RequireFits(nameof(Pairs), p!.First, 256);
            RequireFits(nameof(Pairs), p.Second, 256);
        }
        RequireAtLeast(nameof(CacheKiB), CacheKiB, 1);
        RequireFits(nameof(PlacementWorkload), PlacementWorkload, 256);
    }
}
