using VirtLab.Grading.Trial;
using VirtLab.Interactive;
using VirtLab.Scheduling;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Practice runs of an exercise in a lesson (<see cref="ExerciseTrial"/>, <c>SelfCheck.TryExercise</c>):
/// the exercise's own judges on a policy object, visible tests only, and a student's crash shown as
/// feedback rather than thrown.
/// </summary>
public class ExerciseTrialTests(ITestOutputHelper output)
{
    private const string Placement = "04-smt-placement";
    private static readonly string[] VisiblePlacementTests = ["spread", "same-vm-siblings"];

    private static string Exercises => GradingScratch.SourceExercises;

    private TrialResult Show(TrialResult result)
    {
        output.WriteLine(result.ToString());
        foreach (var t in result.Tests) output.WriteLine($"{t.Name}: {t.Seconds:0.00} s");
        return result;
    }

    [Fact]
    public void The_exercise_4_solution_scores_every_visible_point_and_no_hidden_test_runs()
    {
        var solution = GradingScratch.CompileSolution(Placement, "ThreadPlacement.cs").GetType("ThreadPlacement")!;
        Func<bool, ISmtPlacement> make = rule => (ISmtPlacement)Activator.CreateInstance(solution, [rule])!;
        var result = Show(ExerciseTrial.Run(Placement, make, "alice", exercisesRoot: Exercises));
        Assert.Equal(VisiblePlacementTests, result.Tests.Select(t => t.Name));
        Assert.Equal(6, result.Possible);
        Assert.Equal(6, result.Points);
        Assert.All(result.Tests, t => Assert.Contains("instructions retired", t.Feedback));
        Assert.Contains("Your grade comes from `virtlab grade`", result.Notice);
        Assert.Contains("'alice'", result.Notice);
        Assert.DoesNotContain("unseen", result.ToString());
    }

    [Fact]
    public void A_throwing_placement_gets_nothing_with_its_exception_as_feedback_and_nothing_escapes()
    {
        var result = Show(ExerciseTrial.Run(Placement, new ThrowingPlacement(), "bob", exercisesRoot: Exercises));
        Assert.Equal(2, result.Tests.Count);
        Assert.Equal(0, result.Points);
        Assert.All(result.Tests, t => Assert.Contains("NotImplementedException", t.Feedback));
    }

    [Fact]
    public void An_object_of_the_wrong_kind_or_a_built_in_policy_gets_nothing_and_says_why()
    {
        var blank = Show(ExerciseTrial.Run(Placement, new object(), "bob", exercisesRoot: Exercises));
        Assert.Equal(0, blank.Points);
        Assert.All(blank.Tests, t => Assert.Contains("is not an ISmtPlacement", t.Feedback));

        var builtIn = Show(ExerciseTrial.Run(Placement, SmtPlacement.SmtAware, "bob", exercisesRoot: Exercises));
        Assert.Equal(0, builtIn.Points);
        Assert.All(builtIn.Tests, t => Assert.Contains("VirtLab's own", t.Feedback));
    }

    [Fact]
    public void The_hook_works_for_other_judges_too_a_crashing_scheduler_scores_zero()
    {
        var result = Show(ExerciseTrial.Run("02-scheduler", new ThrowingScheduler(), "carol", exercisesRoot: Exercises));
        Assert.NotEmpty(result.Tests);
        Assert.Equal(0, result.Points);
        Assert.All(result.Tests, t => Assert.Contains("InvalidOperationException", t.Feedback));
    }

    [Fact]
    public void A_subset_runs_only_the_named_visible_tests_and_a_hidden_or_unknown_name_is_refused()
    {
        var one = ExerciseTrial.Run(Placement, new ThrowingPlacement(), "dave", ["spread"], Exercises);
        Assert.Equal("spread", Assert.Single(one.Tests).Name);
        Assert.Equal(2, one.VisibleTests);
        Assert.Contains("1 of the 2 visible tests", one.Notice);

        var hidden = Assert.Throws<ArgumentException>(() => ExerciseTrial.Run(Placement, new ThrowingPlacement(), "dave", ["spread-unseen-host"], Exercises));
        Assert.Contains("is hidden", hidden.Message);
        var unknown = Assert.Throws<ArgumentException>(() => ExerciseTrial.Run(Placement, new ThrowingPlacement(), "dave", ["sprad"], Exercises));
        Assert.Contains("its visible tests are spread, same-vm-siblings", unknown.Message);
        var sizing = Assert.Throws<ArgumentException>(() => ExerciseTrial.Run("06-sizing", new object(), "dave", exercisesRoot: Exercises));
        Assert.Contains("cannot be tried in a cell", sizing.Message);
    }

    [Fact]
    public void The_exercises_are_found_beside_VirtLab_sln_above_the_current_folder_or_a_clear_message_says_where_it_looked()
    {
        Assert.Equal(Path.GetFullPath(Exercises), ExerciseTrial.FindExercises(AppContext.BaseDirectory));
        string nowhere = Path.Combine(Path.GetTempPath(), "virtlab-trial-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(nowhere);
        try
        {
            var e = Assert.Throws<DirectoryNotFoundException>(() => ExerciseTrial.FindExercises(nowhere));
            Assert.Contains("no VirtLab.sln in " + nowhere, e.Message);
        }
        finally { Directory.Delete(nowhere); }
    }

    [Fact]
    public void The_notebook_view_is_a_table_of_points_and_feedback_under_the_practice_notice()
    {
        var result = ExerciseTrial.Run(Placement, new ThrowingPlacement(), "erin", ["spread"], Exercises);
        string html = SelfCheckViews.TrialHtml(result);
        Assert.Contains("<th>test</th>", html);
        Assert.Contains("<td>spread</td>", html);
        Assert.Contains("0 / 3", html);
        Assert.Contains("<code>virtlab grade</code>", html);
        Assert.Contains("NotImplementedException", html);
    }

    [Fact]
    public void SelfCheck_TryExercise_takes_an_object_or_a_placement_made_for_the_rule_and_finds_the_exercises_from_the_current_folder()
    {
        int made = 0;
        var byRule = SelfCheck.TryExercise(Placement, rule => { made++; return new ThrowingPlacement(); });
        Assert.Equal(2, made);
        Assert.Equal(VisiblePlacementTests, byRule.Tests.Select(t => t.Name));
        var one = SelfCheck.TryExercise(Placement, new ThrowingPlacement(), "spread");
        Assert.Equal("spread", Assert.Single(one.Tests).Name);
        Assert.Equal(0, one.Points);
    }

    /// <summary>A placement whose every member throws, as a starter left unfinished does.</summary>
    private sealed class ThrowingPlacement : ISmtPlacement
    {
        public string Name => "throwing";
        public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) => throw new NotImplementedException();
        public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => throw new NotImplementedException();
        public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) => throw new NotImplementedException();
    }

    /// <summary>A scheduler that fails as soon as the host sets it up.</summary>
    private sealed class ThrowingScheduler : IVcpuScheduler
    {
        public string Name => "throwing";
        public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities) => throw new InvalidOperationException("not written yet");
        public void Tick(ulong now) { }
        public void OnWake(ISchedulable entity, ulong now) { }
        public void OnDeschedule(ISchedulable entity, ulong now) { }
        public void Account(ISchedulable entity, ulong cycles, ulong now) { }
        public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now) => null;
        public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now) => false;
    }
}
