using System.Globalization;
using VirtLab.Grading.Results;

namespace VirtLab.Grading.Reports;

/// <summary>How reports write points, statuses and untrusted text, the same in every format.</summary>
internal static class ReportText
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

    /// <summary>
    /// <paramref name="text"/> with control characters (other than newline and tab) shown as
    /// <c>\u001B</c> and the like. What a student's code prints or throws reaches a terminal in
    /// the text report: escape sequences there could hide or rewrite lines, a total among them.
    /// </summary>
    public static string Printable(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool lineEnd = c == '\n' || c == '\t' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n');
            if (!lineEnd && (char.IsControl(c) || c is >= '\u2028' and <= '\u202E')) sb.Append($"\\u{(int)c:X4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
