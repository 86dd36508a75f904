using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace VirtLab.Interactive;

/// <summary>
/// A self-check question: an id (<c>01.3</c>), a text with the student's own parameters in it, and
/// an answer computed by running the simulator, checked within a <see cref="Tolerance"/> or
/// exactly (text, true/false, a choice).
/// <para>
/// Lessons create questions with <see cref="SelfCheck.Ask{TParameters, TAnswer}"/> or
/// <see cref="SelfCheck.Choose"/> and the student answers with <see cref="SelfCheck.Check"/>.
/// Displaying a question shows its text; in answers mode it also shows the answer.
/// The answer is computed the first time it is needed (a check, or answers mode), once.
/// </para>
/// </summary>
public abstract class Question
{
    private readonly Lazy<AnswerValue> expected;
    private readonly Lazy<bool> defaultNotice;
    private readonly Func<bool> takeDefaultNotice;

    private protected Question(string id, string student, StudentIdSource studentSource, string text, IReadOnlyList<string> options,
        IReadOnlyList<QuestionParameter> parameters, Tolerance tolerance, string? hint, Func<object?> answer, Func<bool> takeDefaultNotice)
    {
        Id = id;
        Student = student;
        StudentSource = studentSource;
        Text = text;
        Options = options;
        ParameterValues = parameters;
        Tolerance = tolerance;
        Hint = hint;
        this.takeDefaultNotice = takeDefaultNotice;
        expected = new Lazy<AnswerValue>(() => Compute(answer), LazyThreadSafetyMode.ExecutionAndPublication);
        defaultNotice = new Lazy<bool>(TakeDefaultNotice);
    }

    /// <summary>The question's id, as <see cref="SelfCheck.Check"/> names it: lesson number, dot, question number (<c>01.3</c>).</summary>
    public string Id { get; }

    /// <summary>The student id the parameters were drawn for.</summary>
    public string Student { get; }

    /// <summary>Where <see cref="Student"/> came from.</summary>
    public StudentIdSource StudentSource { get; }

    /// <summary>The question as the student reads it, with their parameters filled in. Plain text; <c>`code`</c> shows as code.</summary>
    public string Text { get; }

    /// <summary>The options of a multiple-choice question (answered by letter: a, b, c, ...); empty for other questions.</summary>
    public IReadOnlyList<string> Options { get; }

    /// <summary>The drawn parameters by name, for the answers listing.</summary>
    public IReadOnlyList<QuestionParameter> ParameterValues { get; }

    /// <summary>How close a numeric answer must be.</summary>
    public Tolerance Tolerance { get; }

    /// <summary>The lesson's hint, shown with a wrong answer; null for none.</summary>
    public string? Hint { get; }

    /// <summary>True when displaying this question carries the notice that no student id is set (the first such output of a session).</summary>
    internal bool ShowsDefaultNotice => defaultNotice.Value;

    /// <summary>True when displaying the question also shows its answer: it was asked in answers mode.</summary>
    internal bool RevealsAnswerWhenShown { get; init; }

    /// <summary>
    /// Checks <paramref name="given"/> against the computed answer. Numbers of any type, text,
    /// true/false and choice letters are understood; null means "not answered yet". The result
    /// never reveals the answer. Throws when the lesson's answer function throws.
    /// </summary>
    public CheckResult Check(object? given)
    {
        if (AnswerValue.From(given) is not { } value)
            return Result(CheckOutcome.NotAnswered, "No answer yet: put yours in place of null and run the cell again.", null);
        var answer = expected.Value;
        if (Options.Count > 0) return CheckChoice(value, answer);
        if (answer.Number is { } number)
        {
            if (value.AsNumber() is not { } guess)
                return Result(CheckOutcome.Unreadable, $"This question wants a number (like 12.5), not \"{value.Text}\".", null);
            if (Tolerance.Accepts(number, guess))
                return Result(CheckOutcome.Right, Tolerance.IsExact ? "Right." : $"Right (within {Tolerance}).", null);
            return Wrong(ScaleSlip(number, guess));
        }
        return value.NormalizedText == answer.NormalizedText ? Result(CheckOutcome.Right, "Right.", null) : Wrong(null);
    }

    /// <summary>
    /// Computes the answer and returns it with the question, as answers mode prints it. Meant for
    /// instructors and tests; a failing answer function gives a record with <see cref="AnswerRecord.Error"/>.
    /// </summary>
    public AnswerRecord RevealAnswer()
    {
        string? answer = null, error = null;
        try
        {
            answer = FormatAnswer(expected.Value);
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
        }
        return new AnswerRecord(Id, Student, Text, LetteredOptions(), ParameterValues, answer, Tolerance.ToString(), error);
    }

    /// <summary>The options as <c>a) first</c>, <c>b) second</c>, ...</summary>
    public IReadOnlyList<string> LetteredOptions() => Options.Select((option, i) => $"{Letter(i)}) {option}").ToList();

    /// <inheritdoc />
    public override string ToString() => SelfCheckViews.QuestionText(this);

    private static string Letter(int index) => ((char)('a' + index)).ToString();

    private bool TakeDefaultNotice() => StudentSource == StudentIdSource.Default && takeDefaultNotice();

    private AnswerValue Compute(Func<object?> answer)
    {
        var value = AnswerValue.From(answer()) ?? throw new InvalidOperationException($"question {Id}: the answer function returned null");
        if (value.Number is { } number && !double.IsFinite(number))
            throw new InvalidOperationException($"question {Id}: the answer function returned {number}");
        if (Options.Count == 0) return value;
        // A choice question's answer is one of its options (its text, or its letter); keep the letter.
        int index = ChoiceIndex(value);
        return index >= 0 ? new AnswerValue(null, Letter(index))
            : throw new InvalidOperationException($"question {Id}: the answer \"{value.Text ?? value.Number?.ToString(CultureInfo.InvariantCulture)}\" is not one of its options");
    }

    /// <summary>The option <paramref name="value"/> names, by letter (<c>b</c>, <c>(b)</c>, <c>b)</c>) or by its text; -1 if none.</summary>
    private int ChoiceIndex(AnswerValue value)
    {
        var text = value.NormalizedText.Trim('(', ')', '.', ' ');
        if (text.Length == 1 && text[0] is >= 'a' and <= 'z') return text[0] - 'a' < Options.Count ? text[0] - 'a' : -1;
        for (int i = 0; i < Options.Count; i++)
            if (Interactive.Student.Normalize(Options[i]) == value.NormalizedText) return i;
        return -1;
    }

    private CheckResult CheckChoice(AnswerValue given, AnswerValue answer)
    {
        int index = ChoiceIndex(given);
        if (index < 0)
            return Result(CheckOutcome.Unreadable, $"Answer with the letter of your choice, a to {Letter(Options.Count - 1)}.", null);
        return Letter(index) == answer.Text ? Result(CheckOutcome.Right, "Right.", null) : Wrong(null);
    }

    /// <summary>A wrong number that would be right after a common slip: percent for a fraction, a unit off by 1000, the sign.</summary>
    private string? ScaleSlip(double expectedNumber, double guess)
    {
        if (expectedNumber == 0) return null;
        if (Tolerance.Accepts(expectedNumber * 100, guess)) return "Your number is 100 times too large: a percentage where a fraction is asked?";
        if (Tolerance.Accepts(expectedNumber / 100, guess)) return "Your number is 100 times too small: a fraction where a percentage is asked?";
        if (Tolerance.Accepts(expectedNumber * 1000, guess) || Tolerance.Accepts(expectedNumber / 1000, guess))
            return "Your number is off by a factor of 1000: check the unit the question asks for.";
        if (Tolerance.Accepts(-expectedNumber, guess)) return "Check the sign.";
        return null;
    }

    private CheckResult Wrong(string? slip) =>
        Result(CheckOutcome.Wrong, "Not quite.", string.Join(" ", new[] { slip, Hint }.Where(h => !string.IsNullOrWhiteSpace(h))) is { Length: > 0 } hint ? hint : null);

    private CheckResult Result(CheckOutcome outcome, string message, string? hint) =>
        new(Id, outcome, message, hint, TakeDefaultNotice);

    private string FormatAnswer(AnswerValue value) =>
        value.Number is { } number ? Tolerance.Format(number) : value.Text ?? "";

    /// <summary>
    /// The parameters object as name/value pairs: the public properties of an anonymous type or a
    /// record (in declaration order), the items of a tuple, or a single value.
    /// </summary>
    private protected static IReadOnlyList<QuestionParameter> Describe(object? parameters)
    {
        static string Text(object? value) => value switch
        {
            null => "null",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Text)) + "]",
            _ => value.ToString() ?? "",
        };

        switch (parameters)
        {
            case null or ValueTuple:
                return [];
            case string or IFormattable or bool:
                return [new QuestionParameter("value", Text(parameters))];
            case ITuple tuple:
                return Enumerable.Range(0, tuple.Length).Select(i => new QuestionParameter($"Item{i + 1}", Text(tuple[i]))).ToList();
            default:
                return parameters.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetIndexParameters().Length == 0)
                    .OrderBy(p => p.MetadataToken)
                    .Select(p => new QuestionParameter(p.Name, Text(p.GetValue(parameters))))
                    .ToList();
        }
    }
}

/// <summary>
/// A self-check question whose parameters were drawn into a <typeparamref name="TParameters"/>
/// (an anonymous type or a record, so that each parameter has a name): the lesson reads them back
/// as <see cref="Parameters"/>, for example to show them in a chart's title.
/// </summary>
/// <typeparam name="TParameters">The parameters object; <see cref="ValueTuple"/> for a question without parameters.</typeparam>
public sealed class Question<TParameters> : Question
{
    internal Question(string id, string student, StudentIdSource studentSource, TParameters parameters, string text, IReadOnlyList<string> options,
        Func<TParameters, object?> answer, Tolerance tolerance, string? hint, Func<bool> takeDefaultNotice)
        : base(id, student, studentSource, text, options, Describe(parameters), tolerance, hint, () => answer(parameters), takeDefaultNotice)
    {
        Parameters = parameters;
    }

    /// <summary>This student's parameters.</summary>
    public TParameters Parameters { get; }
}
