using static System.FormattableString;
using System.Text;
using VirtLab.Grading.Results;

namespace VirtLab.Grading.Reports;

/// <summary>
/// Grades as Markdown (<c>--format markdown</c>), for a CI job summary (GitHub's
/// <c>$GITHUB_STEP_SUMMARY</c>, GitLab and Gitea render it too) or a feedback file.
/// </summary>
public static class MarkdownReport
{
    public static string Of(SubmissionResult submission)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"## VirtLab grade: {ReportText.OutOf(submission.Points, submission.MaxPoints)} points");
        sb.AppendLine();
        foreach (var exercise in submission.Exercises)
        {
            sb.AppendLine($"### {Escape(exercise.Exercise)}: {Escape(exercise.Title)} ({ReportText.OutOf(exercise.Points, exercise.MaxPoints)})");
            sb.AppendLine();
            sb.AppendLine("| test | group | points | result | why |");
            sb.AppendLine("| --- | --- | ---: | --- | --- |");
            foreach (var t in exercise.Tests)
                sb.AppendLine($"| {Escape(t.Test)}{(t.Hidden ? " (hidden)" : "")} | {Escape(t.Group)} | {(t.Counted ? ReportText.OutOf(t.Points, t.MaxPoints) : "-/" + ReportText.Format(t.MaxPoints))} | {Mark(t)} {ReportText.Word(t.Status)} | {Escape(t.Message)} |");
            if (exercise.CompileErrors.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine("```");
                foreach (var error in exercise.CompileErrors) sb.AppendLine(error.Replace("```", "'''"));
                sb.AppendLine("```");
            }
            sb.AppendLine();
        }
        sb.AppendLine(Escape(ReportText.Total(submission)));
        return sb.ToString();
    }

    public static string Of(ClassResult result)
    {
        var sb = new StringBuilder();
        var exercises = result.Submissions.SelectMany(s => s.Exercises.Select(e => e.Exercise)).Distinct().ToList();
        sb.AppendLine("## VirtLab gradebook");
        sb.AppendLine();
        sb.AppendLine("| student | " + string.Join(" | ", exercises.Select(Escape)) + " | total |");
        sb.AppendLine("| --- |" + string.Concat(exercises.Select(_ => " ---: |")) + " ---: |");
        foreach (var s in result.Submissions)
            sb.AppendLine($"| {Escape(s.Student)} | " + string.Join(" | ", exercises.Select(id => s.Exercises.FirstOrDefault(e => e.Exercise == id) is { } e ? ReportText.OutOf(e.Points, e.MaxPoints) : "-")) + $" | {ReportText.OutOf(s.Points, s.MaxPoints)} |");
        sb.AppendLine();
        sb.AppendLine(Invariant($"{result.Submissions.Count} submissions graded in {result.Seconds:0.0} s."));
        return sb.ToString();
    }

    public static string Of(IReadOnlyList<AnswerKeyEntry> key)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| student | exercise | test | points | question | answer |");
        sb.AppendLine("| --- | --- | --- | ---: | --- | --- |");
        foreach (var e in key)
            sb.AppendLine($"| {Escape(e.Student)} | {Escape(e.Exercise)} | {Escape(e.Test)}{(e.Hidden ? " (hidden)" : "")} | {ReportText.Format(e.Points)} | {Escape(e.Question)} | {Escape(e.Expected)} |");
        return sb.ToString();
    }

    private static string Mark(TestResult t) => !t.Counted ? "⏸" : t.Points >= t.MaxPoints ? "✅" : t.Points > 0 ? "🟡" : "❌";

    /// <summary>Text that cannot break the table or inject markup: pipes, newlines, HTML and backticks neutralised.</summary>
    private static string Escape(string text) =>
        ReportText.Printable(text.Replace("\r", "").Replace("\n", " ")).Replace("|", "\\|").Replace("<", "&lt;").Replace(">", "&gt;").Replace("`", "'");
}
