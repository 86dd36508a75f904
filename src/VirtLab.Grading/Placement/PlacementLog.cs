namespace VirtLab.Grading.Placement;

/// <summary>
/// Exercise 4's answer: every decision the student's placement made in its run, in the order the
/// host asked. Each is a short text: <c>order 0 2 1 3</c> (the fill order), <c>beside C S yes</c> /
/// <c>beside C S no</c> (may entity C start beside entity S, by <c>Sched.Index</c>), <c>move T U</c>
/// / <c>move T -</c> (move what thread T runs to thread U, or not). The grader replays the log on
/// its own host and measures what the decisions did; a log that does not fit earns nothing.
/// </summary>
/// <param name="Decisions">The decisions, first to last.</param>
public sealed record PlacementLog(IReadOnlyList<string> Decisions);
