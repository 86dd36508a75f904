using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="Smt"/>.</summary>
public sealed record SmtOptions : ExperimentOptions
{
    /// <summary>Simulated time of each run (ms); the first third, up to 30 ms, is warm-up and not measured. Default: 200.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 200;

    /// <summary>The workload pairs run on one core, each pair written WORKLOAD+WORKLOAD (separated by semicolons on the command line). Default: alu:rounds=100+alu:rounds=100;cpu:rounds=100+cpu:rounds=100;mem:pages=12,stride=64+mem:pages=12,stride=64;mem:pages=40,stride=64+mem:pages=40,stride=64;cpu:rounds=100+mem:pages=40,stride=64.</summary>
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

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 20);
        RequireEach(nameof(Pairs), Pairs, p => p is not null, _ => "a pair is missing");
        foreach (var p in Pairs) { RequireFits(nameof(Pairs), p.First, 256); RequireFits(nameof(Pairs), p.Second, 256); }
        RequireAtLeast(nameof(CacheKiB), CacheKiB, 1);
        RequireFits(nameof(PlacementWorkload), PlacementWorkload, 256);
    }
}
