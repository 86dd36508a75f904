using System.Text.Json;
using System.Text.Json.Nodes;
using VirtLab.Grading;
using VirtLab.Grading.BalloonRoutine;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Results;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Exercise 5 end to end: the solution scores full marks, the released starter scores the README's
/// baseline (0); and, judged directly, routines that do not assemble, loop, store over the kernel,
/// jump into the weeds or leave pages both free and ballooned lose only their points.
/// </summary>
public class BalloonRoutineExerciseTests(ITestOutputHelper output) : IDisposable
{
    public const string Exercise = "05-balloon-routine";
    private readonly GradingScratch _scratch = new();
    private static ExerciseSet Source => ExerciseSet.Load(GradingScratch.SourceExercises);
    private static string Solution => File.ReadAllText(Path.Combine(GradingScratch.SourceExercises, Exercise, BalloonRoutineJudge.FileName));

    private void Show(SubmissionResult result)
    {
        foreach (var t in result.AllTests()) output.WriteLine($"{t.Test}: {t.Status} {t.Points}/{t.MaxPoints}: {t.Message} ({t.CpuSeconds} s CPU, {t.WallSeconds} s)");
    }

    [Fact]
    public void The_solution_scores_full_marks_on_every_test_hidden_ones_included()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new Grader(Source, new GraderOptions { Exercise = Exercise }).Grade(Path.Combine(GradingScratch.SourceExercises, Exercise), "alice");
        Show(result);
        output.WriteLine($"graded in {clock.Elapsed.TotalSeconds:0.0} s");
        var tests = result.AllTests().ToList();
        Assert.Equal(5, tests.Count);
        Assert.All(tests, t => Assert.True(t.Status == TestStatus.Passed, $"{t.Test}: {t.Status}: {t.Message}"));
        Assert.Equal(10, result.Points);
        Assert.Matches(@"^the balloon reached \d+ pages \(target \d+\), the guest's books are right at every look, and the deflate gave every page back and the guest worked on$", tests[0].Message);
        Assert.All(tests.Where(t => t.Hidden), t => Assert.Equal("correct", t.Message));
    }

    [Fact]
    public void The_released_starter_assembles_runs_and_scores_the_stated_baseline_of_zero()
    {
        string release = Path.Combine(_scratch.Root, "release");
        ExerciseRelease.Write(Source, release);
        Assert.Contains("A blank attempt (the starter as released,\nwhich gives no page) scores 0", File.ReadAllText(Path.Combine(release, Exercise, "README.md")));
        string starter = File.ReadAllText(Path.Combine(release, Exercise, BalloonRoutineJudge.FileName));
        Assert.DoesNotContain("BEGIN SOLUTION", starter);
        Assert.Contains("# YOUR CODE HERE", starter);

        var graded = new Grader(Source, new GraderOptions { Exercise = Exercise }).Grade(Path.Combine(release, Exercise), "alice");
        Show(graded);
        Assert.All(graded.AllTests(), t => Assert.Equal(TestStatus.Wrong, t.Status));
        Assert.Matches(@"^the balloon holds 0 pages after the inflate; the kernel's own driver reaches \d+ \(target \d+\)$", graded.AllTests().First().Message);
        Assert.Equal(0, graded.Points);
        Assert.Equal(10, graded.MaxPoints);
    }

    private static (IExerciseJudge Judge, JsonNode Question) Question(string test)
    {
        var exercise = Source.Find(Exercise)!;
        var t = exercise.Tests.Single(x => x.Name == test);
        var judge = Judges.Find("balloon-routine")!;
        return (judge, judge.CreateQuestion(t, Variant.Seed(exercise.Id, t, "alice")));
    }

    private static Verdict Judge(string source, string test = "idle-guest")
    {
        var (judge, question) = Question(test);
        return judge.Judge(question, JsonSerializer.SerializeToNode(new InflateRoutine(source), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    [Fact]
    public void Assembly_errors_are_reported_at_the_students_file_and_line()
    {
        var verdict = Judge("# mine\nballoon_inflate:\n    mv t6, ra\n    addi a0, a0\n    ret\n");
        Assert.Equal(0, verdict.Fraction);
        Assert.StartsWith("balloon_inflate.s does not assemble into the kernel: balloon_inflate.s:4:", verdict.Feedback);
        Assert.Contains("defines no label 'balloon_inflate:'", Judge("inflate:\n    ret\n").Feedback);
    }

    /// <summary>Wild guest code: each costs the test's points and nothing else (the judge returns, with a reason).</summary>
    [Theory]
    [InlineData("balloon_inflate:\n1:  j 1b\n", "the balloon holds 0 pages after the inflate")]                          // loops forever, interrupts off
    [InlineData("balloon_inflate:\n    la t0, palloc_nolock\n    sw zero, 0(t0)\n    sw zero, 4(t0)\n    li a0, 0\n    ret\n", "the guest stopped")]   // stores over the kernel's code
    [InlineData("balloon_inflate:\n    li t0, 0x12345678\n    jr t0\n", "the guest stopped")]                          // jumps into the weeds
    [InlineData("balloon_inflate:\n    li sp, 0\n    li a0, 0\n    ret\n", "the guest stopped")]                         // breaks the calling convention
    public void Wild_routines_cost_only_the_tests_points(string source, string feedback)
    {
        var verdict = Judge(source);
        output.WriteLine(verdict.Feedback);
        Assert.Equal(0, verdict.Fraction);
        Assert.Contains(feedback, verdict.Feedback);
    }

    [Fact]
    public void A_routine_that_reports_pages_it_also_leaves_on_the_free_list_loses_points()
    {
        // The solution, but each page goes back on the free list before the batch is reported: the
        // host takes pages the kernel still thinks are free.
        string leaky = Solution.Replace("    li      t3, BALLOON_BASE\n", """
                mv      a5, a4
                mv      a3, a2
            4:  beqz    a5, 5f
                lw      a1, 0(a3)
                slli    a1, a1, 12
                li      a0, 0
                call    pfree
                addi    a3, a3, 4
                addi    a5, a5, -1
                j       4b
            5:  la      t4, balloon_count
                lw      a1, 0(t4)
                li      t3, BALLOON_BASE

            """);
        Assert.NotEqual(Solution, leaky);
        var verdict = Judge(leaky);
        output.WriteLine(verdict.Feedback);
        Assert.True(verdict.Fraction <= 0.25, verdict.Feedback);
    }

    [Fact]
    public void The_kernels_own_routine_and_the_solution_agree_on_every_test()
    {
        foreach (var test in Source.Find(Exercise)!.Tests.Select(t => t.Name))
        {
            var (judge, question) = Question(test);
            output.WriteLine($"{test}: {judge.DescribeQuestion(question)}: {judge.ExpectedAnswer(question)}");
            Assert.Equal(1, Judge(VirtLab.Guest.GuestKernel.RoutineSource("balloon_inflate"), test).Fraction);
        }
    }

    public void Dispose() => _scratch.Dispose();
}
