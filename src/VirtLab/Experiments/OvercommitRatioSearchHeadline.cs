using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="OvercommitRatioSearch"/>, read from its walks.</summary>
public sealed class OvercommitRatioSearchHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<RatioSearchStep> _steps;
    private readonly IReadOnlyList<RatioSearchAnswer> _answers;

    internal OvercommitRatioSearchHeadline(IReadOnlyList<RatioSearchStep> steps, IReadOnlyList<RatioSearchAnswer> answers)
    {
        _steps = steps;
        _answers = answers;
    }

    /// <summary>The highest ratio at which every VM of <paramref name="mix"/> stayed under <paramref name="thresholdPercent"/> % ready (one of the thresholds searched for).</summary>
    public RatioSearchAnswer HighestRatioUnder(string mix, double thresholdPercent) =>
        _answers.FirstOrDefault(a => a.Mix == mix && a.ThresholdPercent == thresholdPercent)
        ?? throw new KeyNotFoundException(Invariant($"no answer for mix '{mix}' under {thresholdPercent}% (mixes: {string.Join(", ", _answers.Select(a => a.Mix).Distinct())}; thresholds: {string.Join(", ", _answers.Select(a => a.ThresholdPercent).Distinct())})"));

    /// <summary>The steps of the walk of <paramref name="mix"/>, from the lowest ratio up.</summary>
    public IReadOnlyList<RatioSearchStep> WalkOf(string mix)
    {
        var walk = _steps.Where(s => s.Mix == mix).ToList();
        return walk.Count > 0 ? walk : throw new KeyNotFoundException($"no mix called '{mix}' was walked (mixes: {string.Join(", ", _steps.Select(s => s.Mix).Distinct())})");
    }

    /// <summary>The last step the walk of <paramref name="mix"/> ran: the end of the ratios, or where it crossed every threshold.</summary>
    public RatioSearchStep LastStep(string mix) => WalkOf(mix)[^1];

    internal override IEnumerable<(string Name, string Value)> Sentences()
    {
        foreach (var answer in _answers)
            yield return (Invariant($"{answer.Mix} under {answer.ThresholdPercent}% ready"), answer.ToString());
    }
}
