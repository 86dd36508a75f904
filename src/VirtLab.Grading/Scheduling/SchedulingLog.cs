namespace VirtLab.Grading.Scheduling;

/// <summary>
/// Exercise 2's answer: every decision the student's scheduler made in its run, in the order the
/// host asked for them. Each is a short text:
/// <list type="bullet">
/// <item><c>pick T E</c>: idle thread T was given entity E (its <c>Sched.Index</c>);</item>
/// <item><c>pick T -</c>: thread T was left idle;</item>
/// <item><c>keep T</c> / <c>preempt T</c>: the entity on thread T kept it, or gave it up.</item>
/// </list>
/// The grader does not trust the log: it replays it on its own host, where every decision must be
/// one the host could have taken at that point, and measures what the decisions did.
/// </summary>
/// <param name="Decisions">The decisions, first to last.</param>
public sealed record SchedulingLog(IReadOnlyList<string> Decisions);
