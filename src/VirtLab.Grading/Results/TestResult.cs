namespace VirtLab.Grading.Results;

/// <summary>
/// One test of one submission, as the grader observed and scored it. For a hidden test
/// <see cref="Message"/> says only what kind of outcome it was, never an expected value, a judge's
/// remark, the test's parameters or anything the student's code printed.
/// </summary>
public sealed record TestResult
{
    public required string Exercise { get; init; }
    public required string Test { get; init; }
    public required string Group { get; init; }
    public required bool Hidden { get; init; }
    public required TestStatus Status { get; init; }
    /// <summary>Points earned, rounded to hundredths.</summary>
    public required double Points { get; init; }
    /// <summary>Points the test is worth.</summary>
    public required double MaxPoints { get; init; }
    /// <summary>What happened, for the student.</summary>
    public required string Message { get; init; }
    /// <summary>Processor seconds the student's code used on this test.</summary>
    public double CpuSeconds { get; init; }
    /// <summary>Clock seconds of this test.</summary>
    public double WallSeconds { get; init; }
    /// <summary>The end of what the student's code printed (visible tests only).</summary>
    public string Output { get; init; } = "";
    /// <summary>Whether the test counts towards the points (a hidden test that could not run here does not).</summary>
    public bool Counted => Status != TestStatus.NotRun;
}
