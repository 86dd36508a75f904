using static System.FormattableString;
using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Scheduling;

namespace VirtLab.Grading.Scheduling;

/// <summary>
/// Exercise 2's question: a host, its VMs (one vCPU each, with a weight, a cap and a workload) and
/// how long to run them. The grader runs it twice: in the child with the student's scheduler, and in
/// its own process replaying the decisions that scheduler made, where it measures the result.
/// </summary>
public sealed record SchedulingScenario
{
    /// <summary>What the test measures: <c>fairness</c>, <c>caps</c> or <c>latency</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Cores of the host, one hardware thread each (no SMT).</summary>
    public required int Threads { get; init; }

    /// <summary>The VMs, in the order the host creates them.</summary>
    public required IReadOnlyList<ScenarioVm> Vms { get; init; }

    /// <summary>Simulated milliseconds the run lasts.</summary>
    public required double DurationMilliseconds { get; init; }

    /// <summary>The seed of the run: the same scenario always gives the same host.</summary>
    public required int Seed { get; init; }

    /// <summary>
    /// The experiment, scheduled by <paramref name="scheduler"/> (a fresh object: one scheduler
    /// schedules one host).
    /// </summary>
    public ExperimentSpec CreateSpec(IVcpuScheduler scheduler) => new()
    {
        Host = new HostConfig { Cores = Threads, ThreadsPerCore = 1, Kind = HypervisorKind.Type1, Scheduler = scheduler },
        Vms = [.. Vms.Select(v => new VmConfig
        {
            Name = v.Name,
            Weight = v.Weight,
            CapPercent = v.CapPercent,
            Workload = Workload.Parse(v.Workload, out string? error) ?? throw new InvalidOperationException(error),
        })],
        DurationMilliseconds = DurationMilliseconds,
        SampleMilliseconds = DurationMilliseconds,
        Seed = Seed,
    };

    /// <summary>The scenario in a line: the host and each VM's weight, cap and workload.</summary>
    public override string ToString() =>
        Invariant($"{Kind}: {Threads} pCPU{(Threads == 1 ? "" : "s")}, {string.Join("; ", Vms)}, {DurationMilliseconds:0.##} ms, seed {Seed}");
}

/// <summary>One VM of a <see cref="SchedulingScenario"/>.</summary>
/// <param name="Name">Its name ("vm0").</param>
/// <param name="Weight">Its proportional-share weight (256 is the default).</param>
/// <param name="CapPercent">Its cap in percent of one hardware thread; 0 means none.</param>
/// <param name="Workload">Its workload as text (<c>cpu</c>, <c>io:work=W,sleep=S</c>).</param>
public sealed record ScenarioVm(string Name, int Weight, int CapPercent, string Workload)
{
    /// <summary>"vm1 weight 512 cap 30 % cpu".</summary>
    public override string ToString() => $"{Name} weight {Weight}{(CapPercent > 0 ? $" cap {CapPercent} %" : "")} {Workload}";
}
