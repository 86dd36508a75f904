namespace VirtLab.Experiments;

/// <summary>What <see cref="PageSharingExperiment.Run"/> measured: one row per host, and the headline figures.</summary>
public sealed class PageSharingResult : ExperimentResult
{
    internal PageSharingResult(PageSharingOptions options, IReadOnlyList<PageSharingRow> rows, IReadOnlyList<string> notes) : base(PageSharingExperiment.Name, notes)
    {
        Options = options;
        Rows = rows;
        Headline = new PageSharingHeadline(rows);
    }

    /// <summary>The options it ran with.</summary>
    public PageSharingOptions Options { get; }

    /// <summary>1..N identical guests, then the mixed set (table <c>sharing</c>).</summary>
    public IReadOnlyList<PageSharingRow> Rows { get; }

    /// <summary>The figures a lesson quotes.</summary>
    public PageSharingHeadline Headline { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Rows, "sharing")];

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, string Value)> DescribeHeadline() => Headline.Sentences();
}
