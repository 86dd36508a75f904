using static System.FormattableString;
using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Scheduling;

namespace VirtLab.Grading.Placement;

/// <summary>
/// Exercise 4's question: an SMT host (cores of two hardware threads), its VMs, and whether the
/// same-VM-siblings rule holds. The grader runs it in the child with the student's placement, then
/// in its own process replaying the placement's decisions, and compares the guests' throughput with
/// the built-in placement's on the same host.
/// </summary>
public sealed record PlacementScenario
{
    /// <summary>Cores of the host, two hardware threads each.</summary>
    public required int Cores { get; init; }

    /// <summary>True when the two threads of a core may only run vCPUs of the same VM at the same time.</summary>
    public required bool SameVmSiblings { get; init; }

    /// <summary>The VMs, in the order the host creates them.</summary>
    public required IReadOnlyList<PlacementVm> Vms { get; init; }

    /// <summary>Simulated milliseconds the run lasts.</summary>
    public required double DurationMilliseconds { get; init; }

    /// <summary>The seed of the run.</summary>
    public required int Seed { get; init; }

    /// <summary>The experiment, with <paramref name="placement"/> placing the vCPUs.</summary>
    public ExperimentSpec CreateSpec(ISmtPlacement placement) => new()
    {
        Host = new HostConfig { Cores = Cores, ThreadsPerCore = 2, Kind = HypervisorKind.Type1, Placement = placement },
        Vms = [.. Vms.Select(v => new VmConfig
        {
            Name = v.Name,
            Vcpus = v.Vcpus,
            Workload = Workload.Parse(v.Workload, out string? error) ?? throw new InvalidOperationException(error),
        })],
        DurationMilliseconds = DurationMilliseconds,
        SampleMilliseconds = DurationMilliseconds,
        Seed = Seed,
    };

    /// <summary>The scenario in a line.</summary>
    public override string ToString() =>
        Invariant($"{Cores} cores × 2 threads{(SameVmSiblings ? ", same-VM siblings only" : "")}, {string.Join("; ", Vms)}, {DurationMilliseconds:0.##} ms, seed {Seed}");
}

/// <summary>One VM of a <see cref="PlacementScenario"/>.</summary>
/// <param name="Name">Its name ("vm0").</param>
/// <param name="Vcpus">Its vCPUs.</param>
/// <param name="Workload">Its workload as text (<c>cpu</c>, <c>alu</c>, <c>mem:pages=P,stride=S</c>).</param>
public sealed record PlacementVm(string Name, int Vcpus, string Workload)
{
    /// <summary>"vm0 2 vCPUs cpu".</summary>
    public override string ToString() => $"{Name} {Vcpus} vCPU{(Vcpus == 1 ? "" : "s")} {Workload}";
}
