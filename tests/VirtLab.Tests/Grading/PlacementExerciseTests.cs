using System.Text.Json;
using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Placement;
using VirtLab.Grading.Results;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Exercise 4 end to end: the solution scores full marks, the released starter scores the README's
/// baseline (0), weak and broken submissions lose only what they are worth, and forged logs are
/// judged on what they do in the grader's own replay.
/// </summary>
public class PlacementExerciseTests(ITestOutputHelper output) : IDisposable
{
    private const string Id = "04-smt-placement";
    private readonly GradingScratch _scratch = new();
    private static ExerciseSet Source => ExerciseSet.Load(GradingScratch.SourceExercises);

    private SubmissionResult GradeSubmission(string bad, ResourceLimits? limits = null)
    {
        string exercises = limits is null ? GradingScratch.SourceExercises : _scratch.Exercises(limits, exercise: Id);
        string folder = Path.Combine(_scratch.Root, "class", bad, Id);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ThreadPlacement.cs"), GradingScratch.WithSolution(Id, "ThreadPlacement.cs", "ThreadPlacement", "placement/" + bad));
        var result = new Grader(ExerciseSet.Load(exercises), new GraderOptions { Exercise = Id }).Grade(folder, "alice");
        foreach (var t in result.AllTests()) output.WriteLine($"{t.Test}: {t.Status} {t.Points:0.##}/{t.MaxPoints} cpu {t.CpuSeconds:0.00} s wall {t.WallSeconds:0.00} s: {t.Message}");
        return result;
    }

    [Fact]
    public void The_solution_scores_full_marks_on_every_test_hidden_ones_included()
    {
        var result = new Grader(Source, new GraderOptions { Exercise = Id }).Grade(Path.Combine(GradingScratch.SourceExercises, Id), "alice");
        var tests = result.AllTests().ToList();
        foreach (var t in tests) output.WriteLine($"{t.Test}: {t.Status} {t.Points}/{t.MaxPoints} cpu {t.CpuSeconds:0.00} s wall {t.WallSeconds:0.00} s: {t.Message}");
        Assert.Equal(4, tests.Count);
        Assert.All(tests, t => Assert.True(t.Status == TestStatus.Passed, $"{t.Test}: {t.Status}: {t.Message}"));
        Assert.Equal(10, result.Points);
        Assert.Matches(@"^[\d,]+ instructions retired, [\d.]+ % of the built-in smt-aware placement's [\d,]+ \(full marks from 98 %\)$", tests[0].Message);
        Assert.Contains("same-vm-siblings placement's", tests[1].Message);
    }

    [Fact]
    public void The_released_starter_builds_runs_and_scores_the_stated_baseline_of_zero()
    {
        string release = Path.Combine(_scratch.Root, "release");
        ExerciseRelease.Write(Source, release);
        string starter = File.ReadAllText(Path.Combine(release, Id, "ThreadPlacement.cs"));
        Assert.DoesNotContain("IsFirstThread", starter);
        Assert.Contains("A blank attempt (the starter as released) scores 0", File.ReadAllText(Path.Combine(release, Id, "README.md")));

        var graded = new Grader(Source, new GraderOptions { Exercise = Id }).Grade(Path.Combine(release, Id), "alice");
        Assert.Empty(graded.Exercises.Single().CompileErrors);
        Assert.All(graded.AllTests(), t => Assert.Equal(TestStatus.Threw, t.Status));
        Assert.All(graded.AllTests().Where(t => !t.Hidden), t => Assert.Contains("threw NotImplementedException", t.Message));
        Assert.Equal(0, graded.Points);
        Assert.Equal(10, graded.MaxPoints);
    }

    [Fact]
    public void Packing_loses_throughput_points_and_ignoring_the_rule_loses_the_rule_tests()
    {
        var tests = GradeSubmission("packed-ignores-rule").AllTests().ToDictionary(t => t.Test);
        Assert.Equal(TestStatus.Partial, tests["spread"].Status);
        Assert.InRange(tests["spread"].Points, 0.5, 2.9);
        Assert.Matches(@"[\d.]+ % of the built-in smt-aware placement's", tests["spread"].Message);
        Assert.Equal(0, tests["same-vm-siblings"].Points);
        Assert.Matches(@"^the same-VM-siblings rule was broken: decision \d+: 'vm\d/vcpu\d' was let run beside 'vm\d/vcpu\d'$", tests["same-vm-siblings"].Message);
        Assert.Equal(0, tests["siblings-unseen-host"].Points);
        Assert.Equal("wrong answer", tests["siblings-unseen-host"].Message);
    }

    [Fact]
    public void A_placement_that_hangs_or_throws_loses_only_those_tests()
    {
        var tests = GradeSubmission("hangs-on-rule", new ResourceLimits(CpuSeconds: 3, WallSeconds: 300, MemoryMiB: 512)).AllTests().ToDictionary(t => t.Test);
        Assert.Equal(3, tests["spread"].Points);
        Assert.Equal(TestStatus.TimeLimit, tests["same-vm-siblings"].Status);
        Assert.Equal(TestStatus.TimeLimit, tests["siblings-unseen-host"].Status);
        Assert.Equal(TestStatus.Threw, tests["spread-unseen-host"].Status);
        Assert.Equal(3, tests.Values.Sum(t => t.Points));
    }

    [Fact]
    public void A_forged_or_truncated_log_does_not_replay_and_earns_nothing()
    {
        var exercise = Source.Find(Id)!;
        IExerciseJudge judge = Judges.Find("placement")!;
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var question = judge.CreateQuestion(exercise.Tests.Single(t => t.Name == "spread"), 11);
        string Judge(params string[] decisions) => judge.Judge(question, JsonSerializer.SerializeToNode(new PlacementLog(decisions), json)).Feedback;

        Assert.StartsWith("the decision log does not replay: the log ends after 0 decisions", Judge());
        Assert.StartsWith("the decision log does not replay: decision 1 ('move 0 1') does not fit: the host asked for the fill order", Judge("move 0 1"));
        // A fill order that misses a thread: the host's own check refuses it.
        Assert.StartsWith("the decision log breaks the host's rules:", Judge("order 0 1 2"));
        Assert.Contains("does not fit", Judge("order 0 2 1 3", "pick 0 1"));
    }

    public void Dispose() => _scratch.Dispose();
}
