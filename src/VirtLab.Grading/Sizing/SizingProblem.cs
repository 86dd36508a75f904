using static System.FormattableString;
using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Grading.Sizing;

/// <summary>
/// Exercise 6's question: how many VMs of a mix fit on a host before the vCPUs wait too long for a
/// physical CPU? Your <c>Sizing.MaxVms</c> gets one of these and answers with a number of VMs.
/// <para>
/// <b>The answer</b> is the largest n, 0 &lt;= n &lt;= <see cref="MaxVms"/>, such that every run of
/// m = 1, 2, ..., n VMs (<see cref="CreateSpec"/>) keeps the mean CPU ready of its vCPUs below
/// <see cref="ReadyLimitPercent"/>. Scan upwards and stop at the first run that misses the limit:
/// the answer is one less than that run's VM count (<see cref="MaxVms"/> if none misses). The
/// vCPU:pCPU ratio the host can take is then n / <see cref="PhysicalCpus"/>.
/// </para>
/// <para>
/// <b>CPU ready</b> of a vCPU is the share of the run it spent runnable but waiting for a physical
/// CPU: (<c>Sched.ReadyCycles</c> + <c>Sched.CoStopCycles</c>) / <c>Host.Now</c>, in percent
/// (VMware's "%RDY"; under 5 % is the usual rule for a healthy host). Average it over every vCPU of
/// every VM in the run.
/// </para>
/// </summary>
public sealed record SizingProblem
{
    /// <summary>Cores of the host, one hardware thread each (no SMT), under a Type 1 hypervisor with the credit scheduler.</summary>
    public required int PhysicalCpus { get; init; }

    /// <summary>
    /// The VM mix as workload texts (<see cref="Workload.Parse"/>): VM i runs <c>Mix[i % Mix.Count]</c>,
    /// so adding VMs repeats the mix in order. Each VM has one vCPU.
    /// </summary>
    public required IReadOnlyList<string> Mix { get; init; }

    /// <summary>The service level: mean CPU ready must stay below this many percent.</summary>
    public required double ReadyLimitPercent { get; init; }

    /// <summary>Simulated milliseconds each run lasts.</summary>
    public required double DurationMilliseconds { get; init; }

    /// <summary>The most VMs to consider; the answer is at most this.</summary>
    public required int MaxVms { get; init; }

    /// <summary>The seed of every run: the same problem and VM count always give the same numbers.</summary>
    public required int Seed { get; init; }

    /// <summary>Host RAM: room for the hypervisor and every VM the problem can hold, so memory never decides the answer.</summary>
    private int RamPages(int vms) => new HostConfig().HypervisorMemoryPages + vms * (new VmConfig().MemoryPages + 64) + 1024;

    /// <summary>
    /// The experiment with <paramref name="vms"/> VMs of the mix on this host: run it with
    /// <see cref="ExperimentRunner.Run"/> and read each vCPU's ready time from <c>outcome.Host.Vms</c>.
    /// </summary>
    public ExperimentSpec CreateSpec(int vms)
    {
        if (vms < 1 || vms > MaxVms) throw new ArgumentOutOfRangeException(nameof(vms), vms, $"must be between 1 and MaxVms = {MaxVms}");
        return new ExperimentSpec
        {
            Host = new HostConfig { Cores = PhysicalCpus, ThreadsPerCore = 1, Kind = HypervisorKind.Type1, RamPages = RamPages(vms) },
            Vms = [.. Enumerable.Range(0, vms).Select(i => new VmConfig
            {
                Name = $"vm{i}",
                Workload = Workload.Parse(Mix[i % Mix.Count], out string? error) ?? throw new InvalidOperationException(error),
            })],
            DurationMilliseconds = DurationMilliseconds,
            SampleMilliseconds = DurationMilliseconds,
            Seed = Seed,
        };
    }

    /// <summary>The problem in a line: host, mix and limit.</summary>
    public override string ToString() =>
        Invariant($"{PhysicalCpus} pCPU{(PhysicalCpus == 1 ? "" : "s")}, mix [{string.Join("; ", Mix)}], mean CPU ready < {ReadyLimitPercent:0.##} % over {DurationMilliseconds:0.##} ms, at most {MaxVms} VMs, seed {Seed}");
}
