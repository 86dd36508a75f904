namespace VirtLab.Grading.Results;

/// <summary>A class graded at once: the gradebook's content.</summary>
/// <param name="Submissions">One per student, ordered by student id.</param>
/// <param name="Seconds">Clock time for the whole class.</param>
/// <param name="Parallelism">Submissions graded at the same time.</param>
public sealed record ClassResult(IReadOnlyList<SubmissionResult> Submissions, double Seconds, int Parallelism);
