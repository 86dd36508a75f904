using VirtLab.Experiments;
using VirtLab.Hypervisor;

namespace VirtLab.Grading.Judging;

/// <summary>
/// The trusted half of a policy exercise: runs the grader's own simulation with a policy that
/// plays back the student's decision log, and turns a log that does not fit into a verdict. A
/// replaying policy throws <see cref="LogMismatchException"/> on a decision that does not answer
/// the host's question of that moment; the host wraps it, as it wraps a decision that breaks its
/// own rules, in a <see cref="PolicyViolationException"/>.
/// </summary>
internal static class DecisionReplay
{
    /// <summary>
    /// Runs <paramref name="spec"/>. Returns null and the run's outcome if the whole log replayed;
    /// otherwise the verdict that says why not (the log did not fit, broke the host's rules, or
    /// holds decisions the run never asked for, which <paramref name="unplayed"/> counts after the run).
    /// </summary>
    public static Verdict? Run(ExperimentSpec spec, Func<int> unplayed, out RunOutcome outcome)
    {
        outcome = null!;
        try { outcome = ExperimentRunner.Run(spec); }
        catch (PolicyViolationException e) when (e.InnerException is LogMismatchException m)
        {
            return Verdict.Wrong($"the decision log does not replay: {m.Message}");
        }
        catch (PolicyViolationException e)
        {
            return Verdict.Wrong($"the decision log breaks the host's rules: {e.Message}");
        }
        int left = unplayed();
        return left > 0 ? Verdict.Wrong($"the decision log has {left} decisions more than the run asked for") : null;
    }
}
