using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="Smt"/>, read from its rows.</summary>
public sealed class SmtHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<SmtPairRow> _pairs;
    private readonly IReadOnlyList<SmtPlacementRow> _placements;

    internal SmtHeadline(IReadOnlyList<SmtPairRow> pairs, IReadOnlyList<SmtPlacementRow> placements) => (_pairs, _placements) = (pairs, placements);

    /// <summary>The core's throughput with <paramref name="pair"/> on it, in units of one thread alone (SMT on by default).</summary>
    public double CoreThroughput(WorkloadPair pair, bool smtOn = true) =>
        (_pairs.FirstOrDefault(r => r.Pair == pair && r.SmtOn == smtOn) ?? throw new KeyNotFoundException($"{pair} was not run")).CoreRelative;

    /// <summary>Two one-vCPU VMs packed onto one core, as a fraction of their throughput spread over both cores (smt-aware).</summary>
    public double PackedShareOfSmtAware => Total("packed", 2, 2) / Total("smt-aware", 2, 2);

    /// <summary>With four busy vCPUs: the fraction of SMT's throughput lost by using one thread per core.</summary>
    public double OneThreadPerCoreLoss => 1 - Total("one-thread-per-core", 4, 4) / Total("smt-aware", 4, 4);

    /// <summary>
    /// With four busy vCPUs: same-vm-siblings' throughput as a fraction of SMT-aware placement's, for
    /// VMs of <paramref name="vcpusPerVm"/> vCPUs (1: no VM has a sibling to pair with; 2: every core gets one VM).
    /// </summary>
    public double SameVmSiblingsShare(int vcpusPerVm) => Total("same-vm-siblings", 4 / vcpusPerVm, 4) / Total("smt-aware", 4, 4);

    private double Total(string policy, int vms, int vcpus) =>
        (_placements.FirstOrDefault(r => r.Policy == policy && r.Vms == vms && r.Vcpus == vcpus)
         ?? throw new KeyNotFoundException($"no placement run {policy} with {vms} VMs and {vcpus} vCPUs")).TotalOpsPerSecond;

    internal override IEnumerable<(string Name, string Value)> Sentences()
    {
        foreach (var r in _pairs.Where(r => r.SmtOn))
            yield return (r.Pair.ToString(), Invariant($"SMT core throughput {r.CoreRelative:F2}x of one thread alone (per thread {r.Thread0Relative:F2} / {r.Thread1Relative:F2})"));
        if (_placements.Count == 0) yield break;   // run with placements = false
        yield return ("placement", Invariant($"packed gets {PackedShareOfSmtAware:P0} of smt-aware; with 4 busy vCPUs one-thread-per-core loses {OneThreadPerCoreLoss:P0} vs SMT, ") +
            Invariant($"same-vm-siblings gets {SameVmSiblingsShare(1):P0} of SMT's throughput with one-vCPU VMs and {SameVmSiblingsShare(2):P0} with two-vCPU VMs"));
    }
}
