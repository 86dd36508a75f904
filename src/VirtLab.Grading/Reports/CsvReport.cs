using System.Text;
using VirtLab.Grading.Results;

namespace VirtLab.Grading.Reports;

/// <summary>
/// Grades as CSV (<c>--format csv</c>). For a class this is the gradebook: one row per student,
/// a column per test (<c>06-sizing/own-mix</c>) followed by the exercise's total (<c>06-sizing</c>),
/// then <c>total</c>, <c>max_points</c> and <c>not_passed</c> (the tests that lost points, with why).
/// For one submission, one row per test.
/// </summary>
public static class CsvReport
{
    public static string Of(ClassResult result)
    {
        var columns = result.Submissions.SelectMany(s => s.Exercises)
            .SelectMany(e => e.Tests.Select(t => (e.Exercise, Test: (string?)t.Test)).Append((e.Exercise, null)))
            .Distinct().ToList();
        var sb = new StringBuilder();
        Row(sb, [.. new[] { "student" }.Concat(columns.Select(c => c.Test is null ? c.Exercise : $"{c.Exercise}/{c.Test}")).Append("total").Append("max_points").Append("not_passed")]);
        foreach (var s in result.Submissions)
        {
            var cells = new List<string> { s.Student };
            foreach (var (exercise, test) in columns)
            {
                var e = s.Exercises.FirstOrDefault(x => x.Exercise == exercise);
                var t = test is null ? null : e?.Tests.FirstOrDefault(x => x.Test == test);
                cells.Add(e is null ? "" : test is null ? ReportText.Format(e.Points) : t is { Counted: true } ? ReportText.Format(t.Points) : "");
            }
            cells.Add(ReportText.Format(s.Points));
            cells.Add(ReportText.Format(s.MaxPoints));
            cells.Add(string.Join("; ", s.AllTests().Where(t => t.Counted && t.Points < t.MaxPoints).Select(t => $"{t.Exercise}/{t.Test}: {ReportText.Word(t.Status)}")));
            Row(sb, cells);
        }
        return sb.ToString();
    }

    public static string Of(SubmissionResult submission)
    {
        var sb = new StringBuilder();
        Row(sb, ["student", "exercise", "test", "group", "hidden", "points", "max_points", "status", "message"]);
        foreach (var t in submission.AllTests())
            Row(sb, [submission.Student, t.Exercise, t.Test, t.Group, t.Hidden ? "yes" : "no", t.Counted ? ReportText.Format(t.Points) : "", ReportText.Format(t.MaxPoints), ReportText.Word(t.Status), t.Message]);
        return sb.ToString();
    }

    public static string Of(IReadOnlyList<AnswerKeyEntry> key)
    {
        var sb = new StringBuilder();
        Row(sb, ["student", "exercise", "test", "hidden", "points", "question", "answer"]);
        foreach (var e in key) Row(sb, [e.Student, e.Exercise, e.Test, e.Hidden ? "yes" : "no", ReportText.Format(e.Points), e.Question, e.Expected]);
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, IEnumerable<string> cells) => sb.AppendLine(string.Join(",", cells.Select(Quote)));

    /// <summary>RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula (student ids and messages are untrusted).</summary>
    private static string Quote(string cell)
    {
        if (cell.Length > 0 && "=+-@".Contains(cell[0]) && !double.TryParse(cell, System.Globalization.CultureInfo.InvariantCulture, out _)) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
