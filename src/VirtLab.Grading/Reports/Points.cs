using System.Globalization;
using VirtLab.Grading.Results;

namespace VirtLab.Grading.Reports;

/// <summary>How reports write points and statuses, the same in every format.</summary>
internal static class Points
{
    /// <summary>4, 2.5, 0.33: no trailing zeros, invariant culture.</summary>
    public static string Format(double points) => points.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>"2.5/4".</summary>
    public static string OutOf(double points, double max) => $"{Format(points)}/{Format(max)}";

    /// <summary>The status as a lower-case word or two: passed, partial, wrong, threw, time limit, ...</summary>
    public static string Word(TestStatus status) => status switch
    {
        TestStatus.TimeLimit => "time limit",
        TestStatus.MemoryLimit => "memory limit",
        TestStatus.CompileError => "compile error",
        TestStatus.NotSubmitted => "not submitted",
        TestStatus.NotRun => "not run",
        TestStatus.GraderError => "grader error",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The closing line: total, and what the instructor still grades.</summary>
    public static string Total(SubmissionResult s)
    {
        double notRun = s.Exercises.Sum(e => e.NotRunPoints);
        string hidden = notRun > 0 ? $" (hidden tests worth {Format(notRun)} more points are graded by your instructor)" : "";
        return $"total: {OutOf(s.Points, s.MaxPoints)} points{hidden}";
    }
}
