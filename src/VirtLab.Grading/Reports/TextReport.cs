using static System.FormattableString;
using System.Text;
using VirtLab.Grading.Results;

namespace VirtLab.Grading.Reports;

/// <summary>Grades as text for a terminal (<c>--format table</c>, the default).</summary>
public static class TextReport
{
    /// <summary>Lines of the student's printed output shown under a test that lost points.</summary>
    private const int OutputLines = 8;

    /// <summary>One submission: a table per exercise, compile errors, the student's output where a test lost points, and the total.</summary>
    public static string Of(SubmissionResult submission)
    {
        var sb = new StringBuilder();
        foreach (var exercise in submission.Exercises)
        {
            sb.AppendLine($"{exercise.Exercise}: {exercise.Title} (variant of '{exercise.Variant}'): {ReportText.OutOf(exercise.Points, exercise.MaxPoints)} points");
            var table = new TextTable("test", "group", "points", "result", "why");
            foreach (var t in exercise.Tests)
                table.Add(t.Test + (t.Hidden ? " (hidden)" : ""), t.Group, t.Counted ? ReportText.OutOf(t.Points, t.MaxPoints) : $"-/{ReportText.Format(t.MaxPoints)}", ReportText.Word(t.Status), t.Message);
            table.WriteTo(sb, "  ");
            foreach (var error in exercise.CompileErrors) sb.AppendLine($"  {error}");
            foreach (var t in exercise.Tests.Where(t => t.Points < t.MaxPoints && t.Output.Length > 0))
            {
                var lines = t.Output.TrimEnd().Split('\n');
                sb.AppendLine($"  {t.Test} printed{(lines.Length > OutputLines ? $" (last {OutputLines} lines)" : "")}:");
                foreach (var line in lines.TakeLast(OutputLines)) sb.AppendLine($"    | {line.TrimEnd('\r')}");
            }
            sb.AppendLine();
        }
        sb.AppendLine(ReportText.Total(submission));
        return ReportText.Printable(sb.ToString());
    }

    /// <summary>A class: one row per student with each exercise's points and the total, then the time taken.</summary>
    public static string Of(ClassResult result)
    {
        var sb = new StringBuilder();
        var exercises = result.Submissions.SelectMany(s => s.Exercises.Select(e => e.Exercise)).Distinct().ToList();
        var table = new TextTable([.. new[] { "student" }.Concat(exercises).Append("total").Append("not passed")]);
        foreach (var s in result.Submissions)
        {
            var lost = s.AllTests().Where(t => t.Counted && t.Points < t.MaxPoints).Select(t => $"{t.Test} ({ReportText.Word(t.Status)})");
            table.Add([.. new[] { s.Student }
                .Concat(exercises.Select(id => s.Exercises.FirstOrDefault(e => e.Exercise == id) is { } e ? ReportText.OutOf(e.Points, e.MaxPoints) : "-"))
                .Append(ReportText.OutOf(s.Points, s.MaxPoints)).Append(string.Join(", ", lost))]);
        }
        table.WriteTo(sb);
        sb.AppendLine();
        sb.AppendLine(Invariant($"{result.Submissions.Count} submissions graded in {result.Seconds:0.0} s, {result.Parallelism} at a time"));
        return ReportText.Printable(sb.ToString());
    }

    /// <summary>The answer key: each test's question and expected answer.</summary>
    public static string Of(IReadOnlyList<AnswerKeyEntry> key)
    {
        var sb = new StringBuilder();
        foreach (var student in key.GroupBy(k => k.Student))
        {
            sb.AppendLine($"answers for '{student.Key}':");
            foreach (var e in student)
            {
                sb.AppendLine($"  {e.Exercise} / {e.Test}{(e.Hidden ? " (hidden)" : "")}, {ReportText.Format(e.Points)} points");
                sb.AppendLine($"    question: {e.Question}");
                sb.AppendLine($"    answer:   {e.Expected}");
            }
        }
        return sb.ToString();
    }
}
