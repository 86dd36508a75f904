namespace VirtLab.Experiments;

/// <summary>What <see cref="OvercommitTimeline.Run"/> recorded: every vCPU at every interval, each vCPU over the whole run, and the headline figures.</summary>
public sealed class OvercommitTimelineResult : ExperimentResult<OvercommitTimelineOptions, OvercommitTimelineHeadline>
{
    internal OvercommitTimelineResult(OvercommitTimelineOptions options, IReadOnlyList<VcpuInterval> intervals, IReadOnlyList<VcpuTotal> totals, RunOutcome outcome, IReadOnlyList<string> notes)
        : base(OvercommitTimeline.Name, options, new OvercommitTimelineHeadline(totals), notes)
    {
        Intervals = intervals;
        Totals = totals;
        Outcome = outcome;
    }

    /// <summary>Every vCPU after every interval, in time order (the vCPUs of one record in creation order; table <c>timeline</c>).</summary>
    public IReadOnlyList<VcpuInterval> Intervals { get; }

    /// <summary>Each vCPU over the whole run, in creation order (table <c>totals</c>).</summary>
    public IReadOnlyList<VcpuTotal> Totals { get; }

    /// <summary>The run itself: the host as it ended (for <c>Charts.VcpuTime(result.Outcome.Host)</c>) and the per-VM series.</summary>
    public RunOutcome Outcome { get; }

    /// <summary>The vCPUs, as <c>vm/vcpuN</c>, in creation order.</summary>
    public IReadOnlyList<string> Vcpus => Totals.Select(t => t.Vcpu).ToList();

    /// <summary>The intervals of the vCPU called <paramref name="vcpu"/>, in time order.</summary>
    public IReadOnlyList<VcpuInterval> IntervalsOf(string vcpu)
    {
        var rows = Intervals.Where(i => i.Vcpu == vcpu).ToList();
        return rows.Count > 0 ? rows : throw new KeyNotFoundException($"no vCPU called '{vcpu}' (vCPUs: {string.Join(", ", Vcpus)})");
    }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Intervals, "timeline"), Table.From(Totals, "totals")];
}
