using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="OvercommitTimeline"/>, read from each vCPU's totals.</summary>
public sealed class OvercommitTimelineHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<VcpuTotal> _totals;

    internal OvercommitTimelineHeadline(IReadOnlyList<VcpuTotal> totals) => _totals = totals;

    /// <summary>The vCPU that was co-stopped longest (the first such if several tie, as with no SMP VM: none is co-stopped).</summary>
    public VcpuTotal MostCoStopped => _totals.MaxBy(t => t.CoStopMilliseconds)!;

    /// <summary>The vCPU that was ready longest.</summary>
    public VcpuTotal MostReady => _totals.MaxBy(t => t.ReadyMilliseconds)!;

    /// <summary>The whole run of the vCPU called <paramref name="vcpu"/> (as <c>vm/vcpuN</c>).</summary>
    public VcpuTotal Of(string vcpu) => _totals.FirstOrDefault(t => t.Vcpu == vcpu)
        ?? throw new KeyNotFoundException($"no vCPU called '{vcpu}' (vCPUs: {string.Join(", ", _totals.Select(t => t.Vcpu))})");

    internal override IEnumerable<(string Name, string Value)> Sentences()
    {
        var (c, r) = (MostCoStopped, MostReady);
        yield return ("most co-stopped", Invariant($"{c.Vcpu}: {c.CoStopMilliseconds:F1} ms co-stopped and {c.ReadyMilliseconds:F1} ms ready ({c.CoStopPercent + c.ReadyPercent:F0}% paused)"));
        yield return ("most ready", Invariant($"{r.Vcpu}: {r.ReadyMilliseconds:F1} ms ready ({r.ReadyPercent:F1}%)"));
    }
}
