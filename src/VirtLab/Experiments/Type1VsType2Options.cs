using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="Type1VsType2"/>.</summary>
public sealed record Type1VsType2Options : ExperimentOptions
{
    /// <summary>Simulated time of each run (ms); the first fifth, up to 20 ms, is warm-up and not measured. Default: 200.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 200;

    /// <summary>Cores of the Type 1 and Type 2 hosts (cores, one hardware thread each). Default: 2.</summary>
    public int Cores { get; init; } = 2;

    /// <summary>The workloads compared, each alone in a one-vCPU VM (separated by semicolons on the command line). Default: cpu:rounds=100;exit-mmio:work=20000;exit-pv:work=20000;io:work=200,sleep=1.</summary>
    public IReadOnlyList<Workload> Workloads { get; init; } = [Workload.Cpu(), Workload.ExitMmio(20000), Workload.ExitPv(20000), Workload.Io(200, 1)];

    /// <summary>What one VM exit and the entry back into the guest cost, before any handler work (cycles; CostModel.VmExitCycles). Default: 1200.</summary>
    public ulong ExitCycles { get; init; } = 1200;

    /// <summary>What a Type 2 host adds to an exit its user-space device model serves: the round trip from the host kernel to the hypervisor process and back (cycles; CostModel.HostKernelRoundTripCycles). Default: 6000.</summary>
    public ulong HostRoundTripCycles { get; init; } = 6000;

    /// <summary>The host OS processes competing with the vCPU on the Type 2 host: default (a quiet desktop), busy or none. Default: default.</summary>
    public BackgroundLoad Background { get; init; } = BackgroundLoad.Default;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, 20);
        RequireBetween(nameof(Cores), Cores, 1, HostConfig.MaxCores);
        RequireEach(nameof(Workloads), Workloads, w => w is not null, _ => "a workload is missing");
        foreach (var w in Workloads) RequireFits(nameof(Workloads), w, new VmConfig().MemoryPages);
    }
}
