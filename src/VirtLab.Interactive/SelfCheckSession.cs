namespace VirtLab.Interactive;

/// <summary>
/// The self-check state of one notebook session: the student id the notebook set, the questions
/// asked so far, and whether the "no student id" notice has been shown.
/// <para>
/// A session lasts as long as the kernel's state. In a fresh process that is simply the process;
/// but VirtLab's runner can run several notebooks in one process, and resets .NET Interactive's
/// <c>Formatter</c> before each one. <see cref="VirtLabFormatters.Register"/> notices that reset
/// (it has to register its formatters again) and calls <see cref="StartNew"/>, so a student id set
/// in one lesson never leaks into the next. Every use goes through <see cref="Current"/>, which
/// registers the formatters first.
/// </para>
/// </summary>
internal sealed class SelfCheckSession(Func<string, string?> environment, Func<TextWriter> answersOutput)
{
    private static SelfCheckSession current = ForThisProcess();

    private readonly OrderedDictionary<string, Question> questions = new(StringComparer.Ordinal);
    private bool defaultNoticeShown;

    /// <summary>The session of the notebook running now.</summary>
    public static SelfCheckSession Current
    {
        get
        {
            VirtLabFormatters.Register();
            return Volatile.Read(ref current);
        }
    }

    /// <summary>Forgets everything: called when the kernel's state was reset.</summary>
    public static void StartNew() => Volatile.Write(ref current, ForThisProcess());

    private static SelfCheckSession ForThisProcess() => new(Environment.GetEnvironmentVariable, () => Console.Out);

    /// <summary>The id set by <c>Student.Id = ...</c>, normalized; null when the notebook set none.</summary>
    public string? NotebookStudentId { get; set; }

    /// <summary>The student id in use and where it came from, resolved now.</summary>
    public (string Id, StudentIdSource Source) Student =>
        NotebookStudentId is { } set ? (set, StudentIdSource.Notebook)
        : Interactive.Student.Normalize(environment(Interactive.Student.EnvironmentVariable)) is { } fromEnvironment ? (fromEnvironment, StudentIdSource.Environment)
        : (Interactive.Student.DefaultId, StudentIdSource.Default);

    /// <summary>True when <c>VIRTLAB_ANSWERS</c> is 1, true, yes or on.</summary>
    public bool AnswersMode => environment(SelfCheck.AnswersVariable)?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";

    /// <summary>The questions asked so far, in the order first asked.</summary>
    public IReadOnlyList<Question> Questions
    {
        get
        {
            lock (questions) return [.. questions.Values];
        }
    }

    /// <summary>Draws the parameters, creates and remembers the question; in answers mode also prints its answer record.</summary>
    public Question<TParameters> Ask<TParameters, TAnswer>(string id, Func<ParameterDraw, TParameters> parameters, Func<TParameters, string> text,
        Func<TParameters, TAnswer> answer, IReadOnlyList<string>? options, Tolerance? tolerance, string? hint)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("a question needs an id, such as \"01.3\"", nameof(id));
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(answer);
        if (options is { Count: > 26 }) throw new ArgumentException("a choice question has at most 26 options (a to z)", nameof(options));
        if (options is { Count: 1 }) throw new ArgumentException("a choice question needs at least two options", nameof(options));

        id = id.Trim();
        var (student, source) = Student;
        var drawn = parameters(new ParameterDraw(student, id));
        bool answersMode = AnswersMode;
        var wording = text(drawn) ?? throw new ArgumentException($"question {id}: the text function returned null", nameof(text));
        var question = new Question<TParameters>(id, student, source, drawn, wording, options ?? [], p => answer(p),
            tolerance ?? Tolerance.Exact, hint, TakeDefaultNotice) { RevealsAnswerWhenShown = answersMode };
        lock (questions)
        {
            questions.Remove(id); // asking again (a re-run cell) replaces it, and moves it to the end
            questions[id] = question;
        }
        if (answersMode) answersOutput().WriteLine(question.RevealAnswer().ToLine());
        return question;
    }

    /// <summary>Checks an answer to a question asked in this session.</summary>
    public CheckResult Check(string id, object? given)
    {
        Question? question;
        lock (questions) questions.TryGetValue(id?.Trim() ?? "", out question);
        if (question is null)
        {
            var known = Questions.Select(q => q.Id).ToList();
            throw new ArgumentException(
                $"There is no question \"{id}\" yet: run the cell that asks it first." +
                (known.Count > 0 ? $" Questions asked so far: {string.Join(", ", known)}." : " No question has been asked in this session."), nameof(id));
        }
        return question.Check(given);
    }

    /// <summary>True the first time it is asked in this session, false after: the "no student id" notice is shown once.</summary>
    public bool TakeDefaultNotice()
    {
        lock (questions)
        {
            if (defaultNoticeShown) return false;
            defaultNoticeShown = true;
            return true;
        }
    }
}
