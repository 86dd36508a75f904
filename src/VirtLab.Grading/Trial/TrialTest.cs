namespace VirtLab.Grading.Trial;

/// <summary>
/// One visible test of a practice run (<see cref="ExerciseTrial"/>): what the judge said about the
/// student's policy object on the student's own question. Hidden tests never make one.
/// </summary>
/// <param name="Name">The test's name in the manifest ("spread").</param>
/// <param name="Question">The question in a line, as the grader's feedback gives it.</param>
/// <param name="Points">Points this run would earn.</param>
/// <param name="Possible">The test's points.</param>
/// <param name="Feedback">The judge's feedback, or what the student's code threw.</param>
/// <param name="Seconds">Wall-clock seconds the test took (asking and judging).</param>
public sealed record TrialTest(string Name, string Question, double Points, double Possible, string Feedback, double Seconds);
