namespace VirtLab.Experiments;

/// <summary>An experiment's result with its options record and its typed headline (the base of each experiment's own result type).</summary>
public abstract class ExperimentResult<TOptions, THeadline> : ExperimentResult
    where TOptions : ExperimentOptions
    where THeadline : ExperimentHeadline
{
    private protected ExperimentResult(string name, TOptions options, THeadline headline, IReadOnlyList<string> notes) : base(name, notes)
    {
        Options = options;
        Headline = headline;
    }

    /// <summary>The options it ran with.</summary>
    public TOptions Options { get; }

    /// <summary>The figures a lesson quotes.</summary>
    public THeadline Headline { get; }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, string Value)> DescribeHeadline() => Headline.Sentences();
}
