using VirtLab.Grading.Trial;
using VirtLab.Scheduling;

namespace VirtLab.Interactive;

/// <summary>
/// "Check your understanding" questions for lessons and exercises. A question's parameters are
/// drawn from the student's id (<see cref="Student"/>), so two students get different numbers; its
/// answer is computed by running VirtLab, not typed into the lesson; <see cref="Check"/> says
/// right or wrong at once, with a hint, and never gives the answer away. Instructors list every
/// answer for a student with <c>virtlab answers notebooks/03-*.ipynb --student ID</c>, which runs
/// the notebook in answers mode (<see cref="AnswersVariable"/>).
/// <example>
/// <code>
/// using static VirtLab.Interactive.SelfCheck;
///
/// var q = Ask("01.3",
///     parameters: draw => new { Ms = draw.Pick(20, 40, 60) },
///     text: p => $"The `exit-csr` guest runs alone for {p.Ms} ms. How many CSR exits does it make?",
///     answer: p => CsrExits(p.Ms),                         // runs the simulator
///     tolerance: Tolerance.Relative(0.01),
///     hint: "Read vm.Exits[VmExitReason.CsrAccess] after the run.");
/// display(q);
///
/// // the student's cell, ending without a semicolon so that the verdict is shown:
/// Check("01.3", null)
/// </code>
/// </example>
/// </summary>
public static class SelfCheck
{
    /// <summary>
    /// The environment variable that turns answers mode on (<c>1</c>, <c>true</c>, <c>yes</c> or
    /// <c>on</c>): every question prints its answer as it is asked (an <see cref="AnswerRecord"/>
    /// line) and shows it under its text. <c>virtlab answers</c> sets it; an instructor can also
    /// set it before opening a notebook.
    /// </summary>
    public const string AnswersVariable = "VIRTLAB_ANSWERS";

    /// <summary>True when answers mode is on.</summary>
    public static bool AnswersMode => SelfCheckSession.Current.AnswersMode;

    /// <summary>The questions asked so far in this notebook session, in order.</summary>
    public static IReadOnlyList<Question> Questions => SelfCheckSession.Current.Questions;

    /// <summary>
    /// Asks a question with parameters of the student's own.
    /// <paramref name="parameters"/> draws them (return an anonymous type, so each has a name);
    /// <paramref name="text"/> writes the question with them (an interpolated string);
    /// <paramref name="answer"/> computes the answer from them by running VirtLab; it runs the
    /// first time the student checks an answer (or at once in answers mode), not when the question is asked.
    /// Numbers are checked within <paramref name="tolerance"/> (default <see cref="Tolerance.Exact"/>);
    /// text, true/false and enum answers exactly, ignoring case and extra spaces.
    /// <paramref name="hint"/> is shown with a wrong answer. Asking the same id again replaces the question.
    /// </summary>
    public static Question<TParameters> Ask<TParameters, TAnswer>(string id, Func<ParameterDraw, TParameters> parameters, Func<TParameters, string> text,
        Func<TParameters, TAnswer> answer, Tolerance? tolerance = null, string? hint = null) =>
        SelfCheckSession.Current.Ask(id, parameters, text, answer, options: null, tolerance, hint);

    /// <summary>
    /// Asks a question without parameters (the same for every student), whose answer is still
    /// computed by <paramref name="answer"/>. See the other overload for the rest.
    /// </summary>
    public static Question<ValueTuple> Ask<TAnswer>(string id, string text, Func<TAnswer> answer, Tolerance? tolerance = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(answer);
        return SelfCheckSession.Current.Ask(id, _ => default(ValueTuple), _ => text, _ => answer(), options: null, tolerance, hint);
    }

    /// <summary>
    /// Asks a multiple-choice question. The student answers with a letter (<c>"b"</c>) or the
    /// option's text. <paramref name="answer"/> returns the right option (its text or its letter);
    /// it may run the simulator to find out which one it is.
    /// </summary>
    public static Question<ValueTuple> Choose(string id, string text, IReadOnlyList<string> options, Func<string> answer, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(answer);
        return SelfCheckSession.Current.Ask(id, _ => default(ValueTuple), _ => text, _ => answer(), options, Tolerance.Exact, hint);
    }

    /// <summary>
    /// Checks the student's answer to question <paramref name="id"/>, asked earlier in this
    /// notebook. <paramref name="answer"/> is a number, a text, true/false, or a choice letter;
    /// null means "not answered yet". End the cell with this call (no semicolon) to show the verdict.
    /// Throws when no question has that id (run the cell that asks it first).
    /// </summary>
    public static CheckResult Check(string id, object? answer) => SelfCheckSession.Current.Check(id, answer);

    /// <summary>
    /// Tries <paramref name="policy"/>, an object written in a cell, on the visible tests of graded
    /// exercise <paramref name="exercise"/> (<c>"04-smt-placement"</c>), with the questions
    /// <c>virtlab grade</c> draws for this notebook's <see cref="Student"/>, judged by the exercise's
    /// own judge. Give test names in <paramref name="tests"/> to run only those (a lesson that must
    /// stay quick); hidden tests are never run. End the cell with this call to see a table of points
    /// and feedback. It is practice: your grade comes from <c>virtlab grade</c>, never from a notebook.
    /// Anything the object throws is shown as that test's feedback. The same object is asked in
    /// every test, where the grader makes a fresh one per test: keep no state from one run to the next.
    /// Needs <c>#r "lib/VirtLab.Grading.dll"</c> in the notebook, and the notebook inside the kit
    /// (the exercises are found beside <c>VirtLab.sln</c>).
    /// <example>
    /// <code>
    /// TryExercise("02-scheduler", new MyScheduler())
    /// </code>
    /// </example>
    /// </summary>
    public static TrialResult TryExercise(string exercise, object policy, params string[] tests) =>
        ExerciseTrial.Run(exercise, policy, SelfCheckSession.Current.Student.Id, tests.Length == 0 ? null : tests);

    /// <summary>
    /// Tries an SMT placement (exercise 4) made per test by <paramref name="placement"/>, which is told
    /// whether the test's host has the same-VM-siblings rule, as <c>virtlab grade</c> makes
    /// <c>new ThreadPlacement(sameVmSiblings)</c>. See the other overload for the rest.
    /// <example>
    /// <code>
    /// TryExercise("04-smt-placement", sameVmSiblings => new MyPlacement(sameVmSiblings))
    /// </code>
    /// </example>
    /// </summary>
    public static TrialResult TryExercise(string exercise, Func<bool, ISmtPlacement> placement, params string[] tests) =>
        TryExercise(exercise, (object)placement, tests);
}
