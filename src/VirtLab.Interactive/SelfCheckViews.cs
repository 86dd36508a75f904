using System.Text;
using System.Text.RegularExpressions;
using VirtLab.Grading.Trial;

namespace VirtLab.Interactive;

/// <summary>How questions and check results look: HTML for notebooks and the course site, one or a few lines of text elsewhere.</summary>
internal static partial class SelfCheckViews
{
    /// <summary>Shown once per session when no student id is set.</summary>
    public const string DefaultNotice =
        "No student id is set, so these questions use the course's default numbers, the same for everyone without an id. " +
        "For numbers of your own, put Student.Id = \"your id\"; in the first code cell (or set the VIRTLAB_STUDENT environment variable) and run the lesson again.";

    private const string Style = """
        <style>
        .virtlab.question,.virtlab.check{font-size:14px;padding:.45em .9em;border-left:3px solid;border-radius:4px}
        .virtlab .whose{opacity:.7;font-size:.92em}
        .virtlab.question{border-color:#0969da;background:rgba(9,105,218,.06)}
        .virtlab.question p{margin:.3em 0}
        .virtlab.question ol{margin:.2em 0 .3em 1.2em;padding:0}
        .virtlab.check.right{border-color:#1a7f37;background:rgba(26,127,55,.09)}
        .virtlab.check.wrong{border-color:#cf222e;background:rgba(207,34,46,.08)}
        .virtlab.check.pending{border-color:#9a6700;background:rgba(154,103,0,.08)}
        .virtlab .notice{margin-top:.4em;padding:.3em .6em;background:rgba(154,103,0,.12);border-radius:4px}
        .virtlab .answer{margin-top:.4em;padding:.3em .6em;background:rgba(130,80,223,.12);border-radius:4px}
        </style>
        """;

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    public static string QuestionHtml(Question question)
    {
        var html = Html.Open("question").Insert(0, Style);
        html.Append("<div class=\"caption\">Question ").Append(Html.Encode(question.Id)).Append("</div>")
            .Append("<p>").Append(Prose(question.Text)).Append("</p>");
        if (question.Options.Count > 0)
            html.Append("<ol type=\"a\">").Append(string.Concat(question.Options.Select(o => "<li>" + Prose(o) + "</li>"))).Append("</ol>");
        html.Append("<div class=\"whose\">").Append(Html.Encode(Footer(question))).Append("</div>");
        if (question.ShowsDefaultNotice) html.Append("<div class=\"notice\">").Append(Prose(DefaultNotice)).Append("</div>");
        if (question.RevealsAnswerWhenShown) html.Append("<div class=\"answer\">").Append(Html.Encode(AnswerLine(question.RevealAnswer()))).Append("</div>");
        return html.Append("</div>").ToString();
    }

    public static string QuestionText(Question question)
    {
        var text = new StringBuilder($"Question {question.Id}: {question.Text}\n");
        foreach (var option in question.LetteredOptions()) text.Append("  ").Append(option).Append('\n');
        text.Append('(').Append(Footer(question)).Append(')');
        if (question.ShowsDefaultNotice) text.Append('\n').Append(DefaultNotice);
        if (question.RevealsAnswerWhenShown) text.Append('\n').Append(AnswerLine(question.RevealAnswer()));
        return text.ToString();
    }

    public static string ResultHtml(CheckResult result)
    {
        var (kind, mark) = result.Outcome switch
        {
            CheckOutcome.Right => ("right", "✓"),
            CheckOutcome.Wrong => ("wrong", "✗"),
            _ => ("pending", "…"),
        };
        var html = Html.Open("check " + kind).Insert(0, Style);
        html.Append("<strong>").Append(mark).Append(' ').Append(Html.Encode(result.QuestionId)).Append(":</strong> ").Append(Prose(result.Message));
        if (result.Hint is { } hint) html.Append(" <em>Hint:</em> ").Append(Prose(hint));
        if (result.ShowsDefaultNotice) html.Append("<div class=\"notice\">").Append(Prose(DefaultNotice)).Append("</div>");
        return html.Append("</div>").ToString();
    }

    /// <summary>A practice run of an exercise: a table of test, points and feedback, under a notice that it is not the grade.</summary>
    public static string TrialHtml(TrialResult result)
    {
        string kind = result.Points >= result.Possible ? "right" : result.Points > 0 ? "pending" : "wrong";
        var html = Html.Open("check " + kind).Insert(0, Style);
        html.Append("<strong>Exercise ").Append(Html.Encode(result.ExerciseId)).Append(" (").Append(Html.Encode(result.Title)).Append("): ")
            .Append(TrialResult.Number(result.Points)).Append(" / ").Append(TrialResult.Number(result.Possible)).Append(" points</strong>")
            .Append("<table><tr><th>test</th><th>question</th><th>points</th><th>feedback</th></tr>");
        foreach (var t in result.Tests)
            html.Append("<tr><td>").Append(Html.Encode(t.Name)).Append("</td><td>").Append(Prose(t.Question))
                .Append("</td><td class=\"num\">").Append(TrialResult.Number(t.Points)).Append(" / ").Append(TrialResult.Number(t.Possible))
                .Append("</td><td>").Append(Prose(t.Feedback)).Append("</td></tr>");
        html.Append("</table><div class=\"whose\">").Append(Prose(result.Notice)).Append("</div>");
        return html.Append("</div>").ToString();
    }

    /// <summary>The answer as answers mode shows it: <c>Answer (answers mode): 1234 (± 2 %)</c>.</summary>
    public static string AnswerLine(AnswerRecord record) => record.Error is { } error
        ? $"Answer (answers mode): could not be computed: {error}"
        : $"Answer (answers mode): {record.Answer} ({record.Tolerance})";

    private static string Footer(Question question) =>
        (question.StudentSource == StudentIdSource.Default ? "Default numbers (no student id set)" : $"Numbers for student \"{question.Student}\"")
        + $"; answer with Check(\"{question.Id}\", your answer)";

    /// <summary>Escaped text in which `code` spans show as code.</summary>
    private static string Prose(string text) => CodeSpan().Replace(Html.Encode(text), "<code>$1</code>");
}
