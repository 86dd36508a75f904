using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Results;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// One class of deliberately bad submissions, graded once: a hang, a crash on another thread, a
/// stack overflow, Environment.Exit, an endless allocation, an exception, code that does not
/// compile, code without the method, a missing folder, and code that hangs in one test only.
/// Tight limits (3 s of CPU, 128 MiB) keep it quick.
/// </summary>
public sealed class FailureClass : IDisposable
{
    public static readonly ResourceLimits Limits = new(CpuSeconds: 3, WallSeconds: 300, MemoryMiB: 128);
    public static readonly string[] Bad =
        ["hang-busy", "throws", "crash-thread", "stack-overflow", "exit-zero", "allocate", "compile-error", "no-method", "one-test-hangs"];

    private readonly GradingScratch _scratch = new();

    public FailureClass()
    {
        var exercises = ExerciseSet.Load(_scratch.Exercises(Limits));
        foreach (var name in Bad) _scratch.Submission("class", name, GradingScratch.Bad(name));
        _scratch.Submission("class", "good", GradingScratch.Solution);
        Directory.CreateDirectory(Path.Combine(_scratch.Root, "class", "missing", "notes"));
        Result = new Grader(exercises, new GraderOptions { Parallelism = 2 }).GradeClass(Path.Combine(_scratch.Root, "class"));
    }

    public ClassResult Result { get; }

    public SubmissionResult Of(string student) => Result.Submissions.Single(s => s.Student == student);

    public void Dispose() => _scratch.Dispose();
}

public class GraderFailureTests(FailureClass graded, ITestOutputHelper output) : IClassFixture<FailureClass>
{
    [Theory]
    [InlineData("hang-busy", TestStatus.TimeLimit, "the student's code ran past its 3 s CPU limit")]
    [InlineData("throws", TestStatus.Threw, "the student's code threw System.InvalidOperationException")]
    [InlineData("crash-thread", TestStatus.Crashed, "the student's code crashed its process: Unhandled exception. System.InvalidOperationException")]
    [InlineData("stack-overflow", TestStatus.Crashed, "the student's code overflowed the stack (endless recursion?)")]
    [InlineData("exit-zero", TestStatus.Crashed, "the student's code ended the process (exit code 0) before it answered (Environment.Exit?)")]
    [InlineData("allocate", TestStatus.MemoryLimit, "128 MiB")]
    [InlineData("compile-error", TestStatus.CompileError, "does not compile: Sizing.cs(7,33): error CS1002: ; expected")]
    [InlineData("no-method", TestStatus.Missing, "class Sizing has no method public static Int32 Sizing.MaxVms(SizingProblem)")]
    [InlineData("missing", TestStatus.NotSubmitted, "the submission has no folder 06-sizing with Sizing.cs")]
    public void Each_failure_costs_its_tests_with_a_clear_message(string student, TestStatus status, string message)
    {
        var result = graded.Of(student);
        foreach (var t in result.AllTests()) output.WriteLine($"{t.Test}: {t.Status}: {t.Message} ({t.CpuSeconds} s CPU, {t.WallSeconds} s)");
        Assert.Equal(4, result.AllTests().Count());
        Assert.All(result.AllTests(), t =>
        {
            Assert.Equal(status, t.Status);
            Assert.Equal(0, t.Points);
            Assert.Contains(message, t.Message);
        });
        Assert.Equal(0, result.Points);
        Assert.Equal(10, result.MaxPoints);
    }

    [Fact]
    public void A_hang_is_ended_at_its_cpu_limit_not_long_after()
    {
        Assert.All(graded.Of("hang-busy").AllTests(), t => Assert.InRange(t.CpuSeconds, 3, 4.5));
    }

    [Fact]
    public void A_hidden_tests_failure_shows_no_message_or_output_of_the_students_code()
    {
        // throws.cs puts the problem's pCPU count in its message: on a hidden test that would leak the hidden host.
        var visible = graded.Of("throws").AllTests().First(t => !t.Hidden);
        Assert.Contains("no idea for 2 pCPUs (at Sizing.MaxVms in Sizing.cs:line 6)", visible.Message);
        Assert.All(graded.Of("throws").AllTests().Where(t => t.Hidden), t =>
        {
            Assert.Equal("the student's code threw System.InvalidOperationException (at Sizing.MaxVms in Sizing.cs:line 6)", t.Message);
            Assert.Equal("", t.Output);
        });
        Assert.All(graded.Of("crash-thread").AllTests().Where(t => t.Hidden), t =>
            Assert.Equal("the student's code crashed its process: Unhandled exception. System.InvalidOperationException", t.Message));
    }

    [Fact]
    public void A_test_that_hangs_costs_only_its_own_points_and_the_rest_run_in_a_fresh_process()
    {
        var tests = graded.Of("one-test-hangs").AllTests().ToList();
        Assert.Equal(TestStatus.TimeLimit, tests.Single(t => t.Test == "own-mix").Status);
        Assert.All(tests.Where(t => t.Test != "own-mix"), t => Assert.True(t.Status == TestStatus.Passed, $"{t.Test}: {t.Message}"));
        Assert.Equal(6, graded.Of("one-test-hangs").Points);
    }

    [Fact]
    public void The_grader_survives_them_all_and_grades_a_good_submission_beside_them()
    {
        Assert.Equal(FailureClass.Bad.Length + 2, graded.Result.Submissions.Count);
        var good = graded.Of("good");
        Assert.True(good.FullMarks, string.Join("\n", good.AllTests().Select(t => $"{t.Test}: {t.Message}")));
        Assert.Equal(10, good.Points);
        output.WriteLine($"{graded.Result.Submissions.Count} submissions graded in {graded.Result.Seconds:0.0} s");
    }
}
