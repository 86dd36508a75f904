namespace VirtLab.Grading.BalloonRoutine;

/// <summary>
/// Exercise 5's answer: the source of the student's <c>balloon_inflate</c>, as the submission holds
/// it. It is only text: the grader assembles it into the guest kernel and runs it in its own
/// emulated guests, where it can do no more than a guest can.
/// </summary>
/// <param name="Source">The RISC-V assembly of the student's file.</param>
public sealed record InflateRoutine(string Source);
