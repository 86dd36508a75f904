namespace VirtLab.Experiments;

/// <summary>What <see cref="OvercommitRatioSearch.Run"/> measured: every step of every walk, the answer for each mix and threshold, and the headline figures.</summary>
public sealed class OvercommitRatioSearchResult : ExperimentResult<OvercommitRatioSearchOptions, OvercommitRatioSearchHeadline>
{
    internal OvercommitRatioSearchResult(OvercommitRatioSearchOptions options, IReadOnlyList<RatioSearchStep> steps, IReadOnlyList<RatioSearchAnswer> answers, IReadOnlyList<string> notes)
        : base(OvercommitRatioSearch.Name, options, new OvercommitRatioSearchHeadline(steps, answers), notes)
    {
        Steps = steps;
        Answers = answers;
    }

    /// <summary>Each mix's walk, step by step, in the order of the options' mixes (table <c>steps</c>).</summary>
    public IReadOnlyList<RatioSearchStep> Steps { get; }

    /// <summary>The highest ratio under each threshold, per mix (table <c>highest_ratio</c>).</summary>
    public IReadOnlyList<RatioSearchAnswer> Answers { get; }

    /// <summary>The steps of the walk of the mix called <paramref name="mix"/>, from the lowest ratio up.</summary>
    public IReadOnlyList<RatioSearchStep> WalkOf(string mix) => Headline.WalkOf(mix);

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Steps, "steps"), Table.From(Answers, "highest_ratio")];
}
