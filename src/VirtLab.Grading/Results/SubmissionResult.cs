namespace VirtLab.Grading.Results;

/// <summary>Everything graded for one student.</summary>
/// <param name="Student">The student's id (class mode: the folder name).</param>
/// <param name="Directory">The submission's folder.</param>
/// <param name="Exercises">One result per exercise graded.</param>
/// <param name="Seconds">Clock time the grading took.</param>
public sealed record SubmissionResult(string Student, string Directory, IReadOnlyList<ExerciseResult> Exercises, double Seconds)
{
    public double Points => Math.Round(Exercises.Sum(e => e.Points), 2);
    public double MaxPoints => Exercises.Sum(e => e.MaxPoints);
    /// <summary>Every test that ran earned all its points.</summary>
    public bool FullMarks => AllTests().Where(t => t.Counted).All(t => t.Points >= t.MaxPoints);
    /// <summary>Every test of every exercise.</summary>
    public IEnumerable<TestResult> AllTests() => Exercises.SelectMany(e => e.Tests);
}
