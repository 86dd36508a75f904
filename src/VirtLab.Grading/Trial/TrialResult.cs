using System.Globalization;
using System.Text;

namespace VirtLab.Grading.Trial;

/// <summary>
/// A practice run of an exercise's visible tests on a policy object from a notebook
/// (<see cref="ExerciseTrial.Run"/>). It is feedback, not a grade: nothing records it, the hidden
/// tests are not in it, and <c>virtlab grade</c> compiles and runs the submitted files afresh.
/// </summary>
public sealed class TrialResult
{
    internal TrialResult(string exerciseId, string title, string student, IReadOnlyList<TrialTest> tests, int visibleTests)
    {
        ExerciseId = exerciseId;
        Title = title;
        Student = student;
        Tests = tests;
        VisibleTests = visibleTests;
    }

    /// <summary>The exercise's id ("04-smt-placement").</summary>
    public string ExerciseId { get; }

    /// <summary>The exercise's title.</summary>
    public string Title { get; }

    /// <summary>The student whose variant the questions were drawn for (their seeds, as the grader draws them).</summary>
    public string Student { get; }

    /// <summary>The tests that ran, in manifest order: visible ones only.</summary>
    public IReadOnlyList<TrialTest> Tests { get; }

    /// <summary>How many visible tests the exercise has (more than <see cref="Tests"/> when a subset ran).</summary>
    public int VisibleTests { get; }

    /// <summary>Points earned on the tests that ran.</summary>
    public double Points => Tests.Sum(t => t.Points);

    /// <summary>Points possible on the tests that ran.</summary>
    public double Possible => Tests.Sum(t => t.Possible);

    /// <summary>The sentence that says what this is and is not: a practice run, not the grade.</summary>
    public string Notice =>
        $"Practice run of {Tests.Count} of the {VisibleTests} visible test{(VisibleTests == 1 ? "" : "s")} of exercise {ExerciseId} for student '{Student}'. " +
        "Hidden tests are not run here. Your grade comes from `virtlab grade`, which compiles and runs your submitted files, not from this notebook.";

    /// <summary>Plain text: the notice, then one line per test.</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Exercise {ExerciseId} ({Title}): {Number(Points)}/{Number(Possible)} points on the visible tests that ran\n");
        foreach (var t in Tests)
            text.Append(CultureInfo.InvariantCulture, $"  {t.Name}: {Number(t.Points)}/{Number(t.Possible)}  {t.Question}: {t.Feedback}\n");
        return text.Append(Notice).ToString();
    }

    /// <summary>Points as the reports print them: at most two decimals.</summary>
    public static string Number(double points) => points.ToString("0.##", CultureInfo.InvariantCulture);
}
