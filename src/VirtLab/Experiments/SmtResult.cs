namespace VirtLab.Experiments;

/// <summary>What <see cref="Smt.Run"/> measured: the pairs, the placements, and the headline figures.</summary>
public sealed class SmtResult : ExperimentResult<SmtOptions, SmtHeadline>
{
    internal SmtResult(SmtOptions options, IReadOnlyList<SmtPairRow> pairs, IReadOnlyList<SmtPlacementRow> placements, IReadOnlyList<string> notes) : base(Smt.Name, options, new SmtHeadline(pairs, placements), notes)
    {
        Pairs = pairs;
        Placements = placements;
    }

    /// <summary>Each pair with SMT on, then off (table <c>pairs</c>).</summary>
    public IReadOnlyList<SmtPairRow> Pairs { get; }

    /// <summary>The placement runs (table <c>placement</c>).</summary>
    public IReadOnlyList<SmtPlacementRow> Placements { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Pairs, "pairs"), Table.From(Placements, "placement")];
}
