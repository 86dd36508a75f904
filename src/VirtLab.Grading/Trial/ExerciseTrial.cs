using System.Diagnostics;
using System.Reflection;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;

namespace VirtLab.Grading.Trial;

/// <summary>
/// Tries a policy object a student wrote in a notebook cell (an <c>ISmtPlacement</c>,
/// <c>IVcpuScheduler</c>, <c>IReclamationPolicy</c> or <c>IInstructionEmulator</c>) on an exercise's
/// visible tests, through the exercise's own judge: the student's question (the seed
/// <c>virtlab grade</c> would draw), the object's answer, the judge's verdict. Hidden tests never run.
/// <para>
/// This runs the student's code in the student's own process, for feedback only. It is no part of
/// grading: the grader never calls it, and a grade still comes from <c>virtlab grade</c>, which
/// compiles the submitted files, inspects them, and asks them in child processes with limits.
/// Anything the student's object throws becomes that test's feedback, and the run goes on.
/// One object is asked in every test (the grader makes a fresh instance per test).
/// A hanging object hangs the cell (there is no child process to stop here).
/// </para>
/// </summary>
public static class ExerciseTrial
{
    /// <summary>The file that marks the kit's root, beside its <c>exercises/</c> folder.</summary>
    public const string SolutionFile = "VirtLab.sln";

    /// <summary>
    /// Runs the visible tests of exercise <paramref name="exerciseId"/> (all of them, or the ones
    /// named in <paramref name="tests"/>) on <paramref name="policy"/> for <paramref name="student"/>.
    /// Exercises come from <paramref name="exercisesRoot"/>, or else from <c>exercises/</c> beside the
    /// <see cref="SolutionFile"/> found by walking up from the current directory.
    /// Throws <see cref="ArgumentException"/> for an unknown exercise or test, a hidden test's name,
    /// or an exercise that cannot be tried on an object.
    /// </summary>
    public static TrialResult Run(string exerciseId, object policy, string student, IReadOnlyCollection<string>? tests = null, string? exercisesRoot = null)
    {
        ArgumentNullException.ThrowIfNull(exerciseId);
        ArgumentNullException.ThrowIfNull(policy);
        var set = ExerciseSet.Load(exercisesRoot ?? FindExercises(Directory.GetCurrentDirectory()));
        var exercise = set.Find(exerciseId)
            ?? throw new ArgumentException($"no exercise '{exerciseId}' in {set.Root}; there are {string.Join(", ", set.Exercises.Select(e => e.Id))}", nameof(exerciseId));
        var judge = Judges.Find(exercise.Judge)
            ?? throw new ArgumentException($"exercise {exerciseId} names the judge '{exercise.Judge}', which this VirtLab does not have", nameof(exerciseId));
        if (judge.PolicyType is null)
            throw new ArgumentException($"exercise {exerciseId} asks for code that is not an object (judge '{judge.Name}'); it cannot be tried in a cell, only with virtlab grade", nameof(exerciseId));
        var visible = exercise.Tests.Where(t => !t.Hidden && t.Available).ToList();
        var chosen = tests is null ? visible : [.. tests.Select(name => Visible(exercise, visible, name))];
        student = Variant.Normalize(student);
        var results = chosen.Select(test => RunTest(exercise, judge, test, policy, student)).ToList();
        return new TrialResult(exercise.Id, exercise.Title, student, results, visible.Count);
    }

    /// <summary>
    /// The <c>exercises/</c> folder beside the nearest <see cref="SolutionFile"/> at or above
    /// <paramref name="start"/>; throws <see cref="DirectoryNotFoundException"/> saying where it looked.
    /// </summary>
    public static string FindExercises(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, SolutionFile))) continue;
            string exercises = Path.Combine(dir.FullName, "exercises");
            return Directory.Exists(exercises) ? exercises
                : throw new DirectoryNotFoundException($"{SolutionFile} is in {dir.FullName}, but there is no exercises/ folder beside it");
        }
        throw new DirectoryNotFoundException($"no {SolutionFile} in {Path.GetFullPath(start)} or any folder above it, so the exercises/ folder was not found; open the notebook from inside the VirtLab kit");
    }

    private static ExerciseTest Visible(Exercise exercise, List<ExerciseTest> visible, string name) =>
        visible.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException(exercise.Tests.Any(t => t.Name == name)
            ? $"test '{name}' of exercise {exercise.Id} is hidden: only virtlab grade runs it"
            : $"exercise {exercise.Id} has no visible test '{name}'; its visible tests are {string.Join(", ", visible.Select(t => t.Name))}", nameof(name));

    private static TrialTest RunTest(Exercise exercise, IExerciseJudge judge, ExerciseTest test, object policy, string student)
    {
        var clock = Stopwatch.StartNew();
        var question = judge.CreateQuestion(test, Variant.Seed(exercise.Id, test, student));
        string asked = judge.DescribeQuestion(question);
        Verdict verdict;
        if (BuiltIn(exercise, policy) is { } refused) verdict = Verdict.Wrong(refused);
        else
        {
            try { verdict = judge.Judge(question, judge.AskPolicy(policy, question)); }
#pragma warning disable CA1031 // the student's code may throw anything; it becomes feedback, never a crashed cell
            catch (Exception e) { verdict = Verdict.Wrong(Describe(e)); }
#pragma warning restore CA1031
        }
        return new TrialTest(test.Name, asked, Math.Round(verdict.Fraction * test.Points, 2), test.Points, verdict.Feedback, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Why <paramref name="policy"/> is refused, or null: an object of VirtLab's own (a built-in
    /// policy) where the exercise forbids them, as <c>virtlab grade</c> would refuse a submission
    /// that hands the work to one. (Only the object itself is checked here; the grader also reads the code.)
    /// </summary>
    private static string? BuiltIn(Exercise exercise, object policy)
    {
        var own = typeof(Machine.Machine).Assembly;
        bool builtIn = policy.GetType().Assembly == own || policy is Delegate d && d.Method.DeclaringType?.Assembly == own;
        return exercise.Forbidden is not null && builtIn
            ? $"{policy.GetType().Name} is VirtLab's own; the exercise is to write one, and virtlab grade refuses a submission that uses VirtLab's"
            : null;
    }

    /// <summary>What the student's code threw, in a line: the exception's type and message, without the reflection wrapper.</summary>
    private static string Describe(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner }) e = inner;
        return e is StudentContractException ? e.Message : $"your code threw {e.GetType().Name}: {e.Message}";
    }
}
