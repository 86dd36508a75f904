namespace VirtLab.Experiments;

/// <summary>What <see cref="PageSharingExperiment.Run"/> measured: one row per host, and the headline figures.</summary>
public sealed class PageSharingResult : ExperimentResult<PageSharingOptions, PageSharingHeadline>
{
    internal PageSharingResult(PageSharingOptions options, IReadOnlyList<PageSharingRow> rows, IReadOnlyList<string> notes) : base(PageSharingExperiment.Name, options, new PageSharingHeadline(rows), notes)
    {
        Rows = rows;
    }

    /// <summary>1..N identical guests, then the mixed set (table <c>sharing</c>).</summary>
    public IReadOnlyList<PageSharingRow> Rows { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Rows, "sharing")];
}
