using System.Text.Json.Nodes;
using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Results;
using VirtLab.Grading.Sizing;

namespace VirtLab.Tests.Grading;

/// <summary>Exercise 6 end to end: the solution scores full marks, the released starter scores the README's baseline (0).</summary>
public class SizingExerciseTests : IDisposable
{
    private readonly GradingScratch _scratch = new();
    private static ExerciseSet Source => ExerciseSet.Load(GradingScratch.SourceExercises);

    [Theory]
    [InlineData("alice")]
    [InlineData("bob")]
    public void The_solution_scores_full_marks_on_every_test_hidden_ones_included(string student)
    {
        var result = new Grader(Source).Grade(Path.Combine(GradingScratch.SourceExercises, "06-sizing"), student);
        var tests = result.AllTests().ToList();
        Assert.Equal(4, tests.Count);
        Assert.All(tests, t => Assert.True(t.Status == TestStatus.Passed, $"{t.Test}: {t.Status}: {t.Message}"));
        Assert.Equal(10, result.Points);
        Assert.Equal(10, result.MaxPoints);
        Assert.True(result.FullMarks);
        // Visible feedback shows what the grader measured; hidden feedback only the kind of outcome.
        Assert.Matches(@"^\d+ VMs?, a vCPU:pCPU ratio of [\d.]+:1: \d+ VMs?: ready [\d.]+ % \(meets < 5 %\); \d+ VMs: ready [\d.]+ % \(misses < 5 %\)$", tests[0].Message);
        Assert.All(tests.Where(t => t.Hidden), t => Assert.Equal("correct", t.Message));
    }

    [Fact]
    public void The_released_starter_builds_runs_and_scores_the_stated_baseline_of_zero()
    {
        string release = Path.Combine(_scratch.Root, "release");
        ExerciseRelease.Write(Source, release);
        string readme = File.ReadAllText(Path.Combine(release, "06-sizing", "README.md"));
        Assert.Contains("A blank attempt (the starter as released) scores 0", readme);

        // Against the instructor's exercises: every test runs, hidden ones too, and none earns a point.
        var graded = new Grader(Source).Grade(Path.Combine(release, "06-sizing"), "alice");
        Assert.Empty(graded.Exercises.Single().CompileErrors);
        Assert.All(graded.AllTests(), t =>
        {
            Assert.Equal(TestStatus.Threw, t.Status);
            Assert.Contains("System.NotImplementedException", t.Message);
            Assert.Contains("Sizing.MaxVms in Sizing.cs:line", t.Message);
        });
        Assert.Equal(0, graded.Points);
        Assert.Equal(10, graded.MaxPoints);

        // As the student sees it in their own repository: the hidden tests are listed but not run.
        var own = new Grader(ExerciseSet.Load(release)).Grade(Path.Combine(release, "06-sizing"), "alice");
        Assert.Equal(6, own.MaxPoints);
        Assert.Equal(0, own.Points);
        Assert.Equal(4, own.Exercises.Single().NotRunPoints);
        Assert.All(own.AllTests().Where(t => t.Hidden), t => Assert.Equal(TestStatus.NotRun, t.Status));
    }

    [Fact]
    public void Each_student_gets_their_own_mix_and_the_class_shares_the_hidden_hosts()
    {
        var exercise = Source.Find("06-sizing")!;
        var judge = Judges.Find("sizing")!;
        string Question(string test, string student) =>
            judge.CreateQuestion(exercise.Tests.Single(t => t.Name == test), Variant.Seed(exercise.Id, exercise.Tests.Single(t => t.Name == test), student)).ToJsonString();

        var own = Enumerable.Range(0, 20).Select(i => Question("own-mix", $"student{i}")).ToList();
        Assert.True(own.Distinct().Count() >= 18, "students should rarely share a variant");
        Assert.Equal(Question("own-mix", "Alice"), Question("own-mix", " alice "));
        Assert.NotEqual(Question("own-mix", "alice"), Question("single-core", "alice"));
        Assert.Equal(Question("unseen-host", "alice"), Question("unseen-host", "bob"));
    }

    [Fact]
    public void The_judge_gives_full_points_for_the_answer_half_for_one_off_and_none_otherwise()
    {
        var judge = new SizingJudge();
        var problem = new SizingProblem
        {
            PhysicalCpus = 1, Mix = ["io:work=16000,sleep=1", "bursty:busy=1,idle=6"], ReadyLimitPercent = 5,
            DurationMilliseconds = 60, MaxVms = 8, Seed = 7,
        };
        int answer = judge.Answer(problem);
        // The definition, checked from the runs themselves: every count up to the answer meets the limit, the next misses it.
        Assert.All(Enumerable.Range(1, answer), vms => Assert.True(judge.ReadyPercent(problem, vms) < 5));
        Assert.True(answer == problem.MaxVms || judge.ReadyPercent(problem, answer + 1) >= 5);
        Assert.InRange(answer, 1, problem.MaxVms - 1);

        IExerciseJudge untyped = judge;
        var question = System.Text.Json.JsonSerializer.SerializeToNode(problem, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(1, untyped.Judge(question, JsonValue.Create(answer)).Fraction);
        Assert.Equal(0.5, untyped.Judge(question, JsonValue.Create(answer + 1)).Fraction);
        Assert.Equal(0.5, untyped.Judge(question, JsonValue.Create(answer - 1)).Fraction);
        Assert.Equal(0, untyped.Judge(question, JsonValue.Create(answer + 3)).Fraction);
        Assert.Equal(0, untyped.Judge(question, JsonValue.Create(-1)).Fraction);
        Assert.Contains("not a Int32", untyped.Judge(question, JsonValue.Create("seven")).Feedback);
        Assert.Equal(0, untyped.Judge(question, null).Fraction);
    }

    public void Dispose() => _scratch.Dispose();
}
