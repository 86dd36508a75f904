using VirtLab.Guest;
using VirtLab.Hypervisor;
using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="Type1VsType2"/>, read from its rows.</summary>
public sealed class Type1VsType2Headline : ExperimentHeadline
{
    private readonly IReadOnlyList<Type1VsType2Row> _rows;

    internal Type1VsType2Headline(IReadOnlyList<Type1VsType2Row> rows) => _rows = rows;

    /// <summary>Throughput of <paramref name="workload"/> in a VM on a <paramref name="kind"/> host relative to the bare machine (1 = no overhead).</summary>
    public double RelativeToBare(Workload workload, HypervisorKind kind) => Row(workload, kind).RelativeToBare;

    /// <summary>Mean timer-interrupt latency of <paramref name="workload"/>'s guest on a <paramref name="kind"/> host (µs).</summary>
    public double TimerLatencyMicroseconds(Workload workload, HypervisorKind kind) => Row(workload, kind).TimerLatencyMeanMicroseconds;

    private Type1VsType2Row Row(Workload workload, HypervisorKind kind) =>
        _rows.FirstOrDefault(r => r.Workload == workload && r.Host == Type1VsType2.HostOf(kind))
        ?? throw new KeyNotFoundException($"{workload} was not measured (workloads: {string.Join("; ", _rows.Select(r => r.Workload).Distinct())})");

    internal override IEnumerable<(string Name, string Value)> Sentences() => _rows.Select(r => r.Workload).Distinct().Select(w =>
    {
        var (one, two) = (Row(w, HypervisorKind.Type1), Row(w, HypervisorKind.Type2));
        return (w.ToString(), Invariant($"type1 {one.RelativeToBare:P1} of bare, type2 {two.RelativeToBare:P1}; timer latency {one.TimerLatencyMeanMicroseconds:F0} us vs {two.TimerLatencyMeanMicroseconds:F0} us"));
    });
}
