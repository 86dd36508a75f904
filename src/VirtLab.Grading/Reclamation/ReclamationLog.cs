namespace VirtLab.Grading.Reclamation;

/// <summary>
/// Exercise 3's answer: every decision the student's reclamation policy made in its run, in the
/// order it made them. Each is a short text naming VMs by name:
/// <list type="bullet">
/// <item><c>reclaim S W U</c>: the host called <c>Reclaim</c> in state S with W pages wanted and U
/// surplus pages; the lines up to the next <c>reclaim</c> or <c>victim</c> are what the policy did in that call:</item>
/// <item><c>balloon V N</c> / <c>target V N</c>: it set VM V's balloon target or allocation target to N pages;</item>
/// <item><c>swap V N G</c>: it asked the host to swap out N pages of V, and G went;</item>
/// <item><c>victim V</c>: a guest fault found no free frame and the policy's <c>ChooseVictim</c> chose V.</item>
/// </list>
/// The grader does not trust the log: it replays it on its own host, where every call must be the
/// one the host is making at that point (the same state, the same request, a VM it offered), and
/// measures progress and swapping from the host's own accounts.
/// </summary>
/// <param name="Decisions">The decisions, first to last.</param>
public sealed record ReclamationLog(IReadOnlyList<string> Decisions);
