namespace VirtLab.Grading.Exercises;

/// <summary>
/// One test of an exercise, as its manifest declares it: a name, the group it is reported in (CI
/// runs one step per group), the points it is worth, and the parameters its judge turns into a
/// question. Hidden tests are listed in <c>exercise.json</c> by name and points only; their
/// parameters live in <c>hidden/tests.json</c>, which the student version does not have.
/// </summary>
public sealed record ExerciseTest
{
    /// <summary>Unique within the exercise, e.g. <c>own-mix</c>; used in feedback and on the command line.</summary>
    public required string Name { get; init; }
    /// <summary>The group it is reported and run in (e.g. <c>visible</c>, <c>hidden</c>, <c>fairness</c>).</summary>
    public required string Group { get; init; }
    /// <summary>What a fully correct answer earns.</summary>
    public required double Points { get; init; }
    /// <summary>Instructor-only: feedback never shows its parameters, expected values or judge's remarks.</summary>
    public bool Hidden { get; init; }
    /// <summary>Whether each student gets their own numbers or the class shares them.</summary>
    public VariantScope Variant { get; init; } = VariantScope.Student;
    /// <summary>The judge's parameters, or null for a hidden test whose parameters are not present (the student version).</summary>
    public TestParameters? Parameters { get; init; }
    /// <summary>What one run of the student's code for this test may use.</summary>
    public required ResourceLimits Limits { get; init; }

    /// <summary>Whether the test can be run here: visible tests always, hidden ones only with <c>hidden/tests.json</c>.</summary>
    public bool Available => Parameters is not null;
}
