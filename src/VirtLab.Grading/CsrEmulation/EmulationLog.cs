namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// The child's answer to an <see cref="EmulationProblem"/>: every decision the student's emulator
/// made while the guest ran, in order. It is only data: the grader replays it in a run of its own
/// and judges what the guest does there, so a forged log is judged like any other emulator.
/// </summary>
/// <param name="Decisions">The decisions, in the order the guest trapped.</param>
/// <param name="Truncated">True if the guest trapped more than <see cref="MaxDecisions"/> times and the rest were not recorded.</param>
public sealed record EmulationLog(IReadOnlyList<EmulationDecision> Decisions, bool Truncated)
{
    /// <summary>The most decisions a log holds: the exercise's guests trap a few hundred times with a correct emulator.</summary>
    public const int MaxDecisions = 20_000;
}
