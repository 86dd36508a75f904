using System.Text.Json;
using System.Text.Json.Nodes;
using VirtLab.Grading;
using VirtLab.Grading.CsrEmulation;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Results;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Exercise 1 end to end: the solution scores full marks, the released starter scores the README's
/// baseline (0), and bad emulators (a hang, an exit, a wrong wfi, one that hands everything to
/// the built-in emulator) lose only their own tests' points.
/// </summary>
public class CsrEmulationExerciseTests(ITestOutputHelper output) : IDisposable
{
    public const string Exercise = "01-emulate-csr";
    private readonly GradingScratch _scratch = new();
    private static ExerciseSet Source => ExerciseSet.Load(GradingScratch.SourceExercises);

    private void Show(SubmissionResult result)
    {
        foreach (var t in result.AllTests()) output.WriteLine($"{t.Test}: {t.Status} {t.Points}/{t.MaxPoints}: {t.Message} ({t.CpuSeconds} s CPU, {t.WallSeconds} s)");
    }

    [Fact]
    public void The_solution_scores_full_marks_on_every_test_hidden_ones_included()
    {
        var result = new Grader(Source, new GraderOptions { Exercise = Exercise }).Grade(Path.Combine(GradingScratch.SourceExercises, Exercise), "alice");
        Show(result);
        var tests = result.AllTests().ToList();
        Assert.Equal(5, tests.Count);
        Assert.All(tests, t => Assert.True(t.Status == TestStatus.Passed, $"{t.Test}: {t.Status}: {t.Message}"));
        Assert.Equal(10, result.Points);
        Assert.Matches(@"^\d+ trapped instructions emulated; the guest ended as under the reference hypervisor \(guest shut down with code -?\d+\)$", tests[0].Message);
        Assert.All(tests.Where(t => t.Hidden), t => Assert.Equal("correct", t.Message));
    }

    [Fact]
    public void The_released_starter_builds_runs_and_scores_the_stated_baseline_of_zero()
    {
        string release = Path.Combine(_scratch.Root, "release");
        ExerciseRelease.Write(Source, release);
        Assert.Contains("A blank attempt (the starter as released) scores 0", File.ReadAllText(Path.Combine(release, Exercise, "README.md")));
        Assert.DoesNotContain("BEGIN SOLUTION", File.ReadAllText(Path.Combine(release, Exercise, "CsrEmulator.cs")));
        Assert.False(Directory.Exists(Path.Combine(release, Exercise, "hidden")));

        var graded = new Grader(Source, new GraderOptions { Exercise = Exercise }).Grade(Path.Combine(release, Exercise), "alice");
        Show(graded);
        Assert.Empty(graded.Exercises.Single().CompileErrors);
        Assert.All(graded.AllTests(), t => Assert.Equal(TestStatus.Wrong, t.Status));
        // The starter throws at the guest's first trap: the feedback says where, and what the guest did then.
        Assert.Contains("trap 0, 'csrw mscratch, s0'", graded.AllTests().First().Message);
        Assert.Contains("the emulator threw System.NotImplementedException", graded.AllTests().First().Message);
        Assert.Equal(0, graded.Points);
        Assert.Equal(10, graded.MaxPoints);
    }

    /// <summary>A question of the exercise for <paramref name="guest"/>, as the grader makes it.</summary>
    private static (IExerciseJudge Judge, JsonNode Question) Question(string guest)
    {
        var exercise = Source.Find(Exercise)!;
        var test = exercise.Tests.Single(t => t.Name == guest);
        var judge = Judges.Find("emulate-csr")!;
        return (judge, judge.CreateQuestion(test, Variant.Seed(exercise.Id, test, "alice")));
    }

    /// <summary>The log an honest child would send for an emulator: recorded as the child records it.</summary>
    private static EmulationLog LogOf(JsonNode question, VirtLab.Hypervisor.IInstructionEmulator emulator)
    {
        var problem = question.Deserialize<EmulationProblem>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var recorder = new RecordingEmulator(emulator);
        GuestRun.Run(problem, recorder, vm => recorder.Vm = vm);
        return recorder.Log;
    }

    private static JsonNode Json(EmulationLog log) => JsonSerializer.SerializeToNode(log, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Fact]
    public void A_forged_answer_is_replayed_in_the_graders_own_run_and_judged_on_what_the_guest_does_there()
    {
        var (judge, question) = Question("csr-instructions");
        var honest = LogOf(question, VirtLab.Hypervisor.BuiltInInstructionEmulator.Instance);
        Assert.Equal(1, judge.Judge(question, Json(honest)).Fraction);

        // Nothing at all, or a log whose traps are not the guest's: the replay stops the guest.
        var empty = judge.Judge(question, Json(new EmulationLog([], false)));
        Assert.Equal(0, empty.Fraction);
        Assert.Contains("the answer does not fit the guest's run: the answer records 0 traps, but the guest trapped again at pc", empty.Feedback);
        var elsewhere = honest with { Decisions = [.. honest.Decisions.Select(d => d with { Pc = d.Pc + 4 })] };
        Assert.Contains("trap 0 of the answer is vCPU 0 at pc", judge.Judge(question, Json(elsewhere)).Feedback);

        // One decision changed (mscratch left other than the rules say): the guest prints something else.
        int i = honest.Decisions.ToList().FindIndex(d => d.Registers.Count > 0);
        var decisions = honest.Decisions.ToList();
        decisions[i] = decisions[i] with { Registers = [decisions[i].Registers[0] with { Value = decisions[i].Registers[0].Value ^ 1 }] };
        var altered = judge.Judge(question, Json(honest with { Decisions = decisions }));
        Assert.Equal(0, altered.Fraction);
        Assert.Contains($"trap {i}, ", altered.Feedback);

        // A decision that claims a register out of range, a truncated log, and an answer of the wrong shape.
        decisions[i] = decisions[i] with { Registers = [new RegisterWrite(40, 1)] };
        Assert.Contains("writes register 40", judge.Judge(question, Json(honest with { Decisions = decisions })).Feedback);
        Assert.Equal(0, judge.Judge(question, Json(new EmulationLog(honest.Decisions.Take(3).ToList(), true))).Fraction);
        Assert.Equal(0, judge.Judge(question, JsonValue.Create("10/10")).Fraction);
        Assert.Equal(0, judge.Judge(question, null).Fraction);
    }

    [Fact]
    public void Every_guest_runs_the_same_under_the_built_in_emulator_twice_and_shuts_down_by_itself()
    {
        foreach (string guest in CsrGuests.Names)
        {
            var exercise = Source.Find(Exercise)!;
            var (judge, question) = Question(guest);
            var problem = question.Deserialize<EmulationProblem>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            var first = GuestRun.Run(problem, VirtLab.Hypervisor.BuiltInInstructionEmulator.Instance);
            var second = GuestRun.Run(problem, VirtLab.Hypervisor.BuiltInInstructionEmulator.Instance);
            Assert.StartsWith("guest shut down with code ", first.StopReason);
            Assert.Null(first.FirstDifference(second));
            Assert.True(first.Console.Split('\n').Length > 3, $"{guest} printed: {first.Console}");
            output.WriteLine($"{guest}: {judge.ExpectedAnswer(question)}");
        }
    }

    public void Dispose() => _scratch.Dispose();
}
