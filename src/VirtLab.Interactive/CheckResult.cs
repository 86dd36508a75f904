namespace VirtLab.Interactive;

/// <summary>
/// The verdict on one answer to a self-check question: right or not, with a short hint when it is
/// not. It never contains the answer. A notebook shows it as a coloured line (HTML) or as one line
/// of text; end a cell with <c>Check("01.3", answer)</c> (no semicolon) so that it is shown.
/// </summary>
public sealed class CheckResult
{
    private readonly Lazy<bool> defaultNotice;

    internal CheckResult(string questionId, CheckOutcome outcome, string message, string? hint, Func<bool> takeDefaultNotice)
    {
        QuestionId = questionId;
        Outcome = outcome;
        Message = message;
        Hint = hint;
        defaultNotice = new Lazy<bool>(takeDefaultNotice);
    }

    /// <summary>The question checked (<c>01.3</c>).</summary>
    public string QuestionId { get; }

    /// <summary>Right, wrong, not answered yet, or not readable as an answer to this question.</summary>
    public CheckOutcome Outcome { get; }

    /// <summary>True when the answer is right.</summary>
    public bool IsRight => Outcome == CheckOutcome.Right;

    /// <summary>The verdict in a sentence: "Right.", "Not quite.", "No answer yet: ...".</summary>
    public string Message { get; }

    /// <summary>A nudge towards the answer for a wrong one (the lesson's hint, or a unit slip spotted), else null.</summary>
    public string? Hint { get; }

    /// <summary>
    /// True when this output carries the notice that no student id is set. Decided the first time
    /// it is asked, so the HTML and text forms of one result agree and the notice appears once per session.
    /// </summary>
    internal bool ShowsDefaultNotice => defaultNotice.Value;

    /// <summary>One line: <c>01.3: Not quite. Hint: ...</c>.</summary>
    public override string ToString() =>
        $"{QuestionId}: {Message}{(Hint is null ? "" : " Hint: " + Hint)}{(ShowsDefaultNotice ? "\n" + SelfCheckViews.DefaultNotice : "")}";
}
