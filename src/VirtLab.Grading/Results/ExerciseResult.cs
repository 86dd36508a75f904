namespace VirtLab.Grading.Results;

/// <summary>One exercise of one submission.</summary>
/// <param name="Exercise">Its id, e.g. <c>06-sizing</c>.</param>
/// <param name="Title">Its title.</param>
/// <param name="Tests">Every test, in manifest order.</param>
/// <param name="CompileErrors">The compiler's errors if the submission did not compile (about the student's own files).</param>
/// <param name="Variant">The student id the numbers were drawn for.</param>
public sealed record ExerciseResult(string Exercise, string Title, IReadOnlyList<TestResult> Tests, IReadOnlyList<string> CompileErrors, string Variant)
{
    /// <summary>Points earned on the tests that ran.</summary>
    public double Points => Math.Round(Tests.Where(t => t.Counted).Sum(t => t.Points), 2);
    /// <summary>Points the tests that ran are worth.</summary>
    public double MaxPoints => Tests.Where(t => t.Counted).Sum(t => t.MaxPoints);
    /// <summary>Points of hidden tests that could not run here.</summary>
    public double NotRunPoints => Tests.Where(t => !t.Counted).Sum(t => t.MaxPoints);
}
