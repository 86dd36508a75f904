namespace VirtLab.Experiments;

/// <summary>What <see cref="Smt.Run"/> measured: the pairs, the placements, and the headline figures.</summary>
public sealed class SmtResult : ExperimentResult
{
    internal SmtResult(SmtOptions options, IReadOnlyList<SmtPairRow> pairs, IReadOnlyList<SmtPlacementRow> placements, IReadOnlyList<string> notes) : base(Smt.Name, notes)
    {
        Options = options;
        Pairs = pairs;
        Placements = placements;
        Headline = new SmtHeadline(pairs, placements);
    }

    /// <summary>The options it ran with.</summary>
    public SmtOptions Options { get; }

    /// <summary>Each pair with SMT on, then off (table <c>pairs</c>).</summary>
    public IReadOnlyList<SmtPairRow> Pairs { get; }

    /// <summary>The placement runs (table <c>placement</c>).</summary>
    public IReadOnlyList<SmtPlacementRow> Placements { get; }

    /// <summary>The figures a lesson quotes.</summary>
    public SmtHeadline Headline { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Pairs, "pairs"), Table.From(Placements, "placement")];

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, string Value)> DescribeHeadline() => Headline.Sentences();
}
