using System.Diagnostics;
using System.Text.Json;
using VirtLab.Experiments;
using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Reclamation;
using VirtLab.Grading.Results;
using VirtLab.Memory;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Exercise 3 end to end: the solution scores full marks, the released starter scores the README's
/// baseline (0), a submission that hangs on some hosts loses only those tests, and the judge's
/// decision replay turns forged or foreign logs into honest verdicts.
/// </summary>
public class ReclamationExerciseTests(ITestOutputHelper output) : IDisposable
{
    private const string Id = "03-reclamation";
    private readonly GradingScratch _scratch = new();
    private static ExerciseSet Source => ExerciseSet.Load(GradingScratch.SourceExercises);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void The_solution_scores_full_marks_on_every_test_hidden_ones_included()
    {
        var result = new Grader(Source).Grade(Path.Combine(GradingScratch.SourceExercises, Id), "alice");
        var tests = result.AllTests().ToList();
        foreach (var t in tests) output.WriteLine($"{t.Test}: {t.Status} {t.Points}/{t.MaxPoints} cpu {t.CpuSeconds:0.00} s wall {t.WallSeconds:0.00} s: {t.Message}");
        Assert.Equal(4, tests.Count);
        Assert.All(tests, t => Assert.True(t.Status == TestStatus.Passed, $"{t.Test}: {t.Status}: {t.Message}"));
        Assert.Equal(10, result.Points);
        Assert.Matches(@"^progress of unconstrained: vm0 \d+ %, vm1 \d+ %, vm2 \d+ % \(worst \d+ %; the built-in's worst \d+ %; full marks from \d+ %, none below \d+ %\); \d+ pages swapped out, the built-in shares policy \d+ \(full marks up to \d+, none from \d+\)$", tests[0].Message);
        Assert.All(tests.Where(t => t.Hidden), t => Assert.Equal("correct", t.Message));
    }

    [Fact]
    public void The_released_starter_builds_runs_and_scores_the_stated_baseline_of_zero()
    {
        string release = Path.Combine(_scratch.Root, "release");
        ExerciseRelease.Write(Source, release);
        string starter = File.ReadAllText(Path.Combine(release, Id, "ServiceLevelPolicy.cs"));
        Assert.DoesNotContain("Idle(", starter);
        Assert.Contains("// YOUR FIELDS AND HELPERS HERE", starter);
        Assert.False(Directory.Exists(Path.Combine(release, Id, "hidden")));
        Assert.Contains("A blank attempt (the starter as released) scores 0", File.ReadAllText(Path.Combine(release, Id, "README.md")));

        var graded = new Grader(Source, new GraderOptions { Exercise = Id }).Grade(Path.Combine(release, Id), "alice");
        Assert.Empty(graded.Exercises.Single().CompileErrors);
        Assert.All(graded.AllTests(), t => Assert.Equal(TestStatus.Threw, t.Status));
        Assert.All(graded.AllTests().Where(t => !t.Hidden), t => Assert.Contains("threw NotImplementedException", t.Message));
        Assert.Equal(0, graded.Points);
        Assert.Equal(10, graded.MaxPoints);
    }

    [Fact]
    public void A_submission_that_hangs_on_four_vms_loses_only_those_tests()
    {
        string exercises = _scratch.Exercises(new ResourceLimits(CpuSeconds: 4, WallSeconds: 300, MemoryMiB: 512), exercise: Id);
        string folder = Path.Combine(_scratch.Root, "class", "carol", Id);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ServiceLevelPolicy.cs"),
            GradingScratch.WithSolution(Id, "ServiceLevelPolicy.cs", "ServiceLevelPolicy", "reclamation/hangs-on-four-vms"));

        var result = new Grader(ExerciseSet.Load(exercises)).Grade(folder, "carol");
        var tests = result.AllTests().ToDictionary(t => t.Test);
        foreach (var t in tests.Values) output.WriteLine($"{t.Test}: {t.Status} {t.Points}/{t.MaxPoints} cpu {t.CpuSeconds:0.00} s: {t.Message}");
        // On three VMs it is the solution, judged as the solution is: on carol's mixes that can be part of the points (see the README's noise).
        Assert.All(new[] { "mix-3", "unseen-mix-3" }, n => Assert.True(tests[n].Status is TestStatus.Passed or TestStatus.Partial && tests[n].Points > 0, $"{n}: {tests[n].Status}: {tests[n].Message}"));
        Assert.Equal(TestStatus.TimeLimit, tests["mix-4"].Status);
        Assert.Equal(TestStatus.TimeLimit, tests["unseen-mix-4"].Status);
        Assert.Equal(0, tests["mix-4"].Points + tests["unseen-mix-4"].Points);
        Assert.Equal(tests["mix-3"].Points + tests["unseen-mix-3"].Points, result.Points, 6);
    }

    /// <summary>A visible test's scenario for <paramref name="seed"/>, and the log a policy makes on it, run in this process as the child would.</summary>
    private static (ReclamationScenario Scenario, ReclamationLog Log) Logged(string test, int seed, Func<IReclamationPolicy> policy)
    {
        var exercise = Source.Find(Id)!;
        var q = Judges.Find("reclamation")!.CreateQuestion(exercise.Tests.First(t => t.Name == test), seed).Deserialize<ReclamationScenario>(Json)!;
        var recorder = new RecordingReclamationPolicy(policy(), q.Seed);
        ExperimentRunner.Run(q.CreateSpec(recorder));
        return (q, new ReclamationLog(recorder.Decisions));
    }

    private static Verdict Judge(ReclamationScenario q, ReclamationLog log) =>
        ((IExerciseJudge)new ReclamationJudge()).Judge(JsonSerializer.SerializeToNode(q, Json)!, JsonSerializer.SerializeToNode(log, Json));

    [Fact]
    public void The_replay_of_the_built_in_policys_log_swaps_exactly_what_the_built_in_does()
    {
        var clock = Stopwatch.StartNew();
        var (q, log) = Logged("mix-3", 7, () => new SharesReclamationPolicy());
        output.WriteLine($"{q}\nchild-side run: {clock.Elapsed.TotalSeconds:0.00} s, {log.Decisions.Count} decisions");
        var builtIn = ExperimentRunner.Run(q.CreateSpec(new SharesReclamationPolicy())).Host;
        Assert.Contains(log.Decisions, d => d.StartsWith("swap ", StringComparison.Ordinal));   // the mix makes it swap
        clock.Restart();
        var verdict = Judge(q, log);
        output.WriteLine($"judge (replay, built-in and unconstrained runs): {clock.Elapsed.TotalSeconds:0.00} s: {verdict.Fraction} {verdict.Feedback}");
        Assert.Contains($"{builtIn.Vms.Sum(v => v.Memory.SwapOuts)} pages swapped out, the built-in shares policy {builtIn.Vms.Sum(v => v.Memory.SwapOuts)} ", verdict.Feedback);
        Assert.Equal(1, verdict.Fraction);
    }

    [Fact]
    public void A_forged_truncated_or_foreign_log_is_judged_by_what_it_does_on_the_graders_own_host()
    {
        var (q, log) = Logged("mix-3", 7, () => new SharesReclamationPolicy());
        var d = log.Decisions.ToList();

        var cut = Judge(q, new ReclamationLog(d.Take(d.Count / 2).ToList()));
        Assert.Equal(0, cut.Fraction);
        Assert.Contains("the decision log does not replay: the log ends after", cut.Feedback);

        var padded = Judge(q, new ReclamationLog([.. d, "victim vm0"]));
        Assert.Equal(0, padded.Fraction);
        Assert.Contains("1 decisions more than the run asked for", padded.Feedback);

        // Altered: a swap-out that claims fewer pages went than did, a VM the host does not run, another state.
        int swap = d.FindIndex(x => x.StartsWith("swap ", StringComparison.Ordinal));
        var altered = d.ToList();
        string[] parts = altered[swap].Split(' ');
        altered[swap] = $"swap {parts[1]} {parts[2]} {int.Parse(parts[3]) - 1}";
        Assert.Matches(@"decision \d+ \('swap vm\d .*'\) does not fit: \d+ pages of vm\d went, not \d+", Judge(q, new ReclamationLog(altered)).Feedback);
        altered = d.ToList();
        altered[swap] = $"balloon vm9 10";
        Assert.Contains("it names no VM the host offered (vm0, vm1, vm2)", Judge(q, new ReclamationLog(altered)).Feedback);
        int call = d.FindIndex(x => x.StartsWith("reclaim Hard ", StringComparison.Ordinal));
        altered = d.ToList();
        altered[call] = altered[call].Replace("Hard", "Soft", StringComparison.Ordinal);
        var state = Judge(q, new ReclamationLog(altered));
        Assert.Equal(0, state.Fraction);
        Assert.Contains("does not fit: the host called Reclaim ('reclaim Hard ", state.Feedback);

        // Out of the host's range: the host refuses it in the replay as it would have in the child.
        altered = d.ToList();
        altered.Insert(1, "balloon vm0 100000");
        var rules = Judge(q, new ReclamationLog(altered));
        Assert.Equal(0, rules.Fraction);
        Assert.Contains("the decision log breaks the host's rules", rules.Feedback);

        // Another mix's log (a different seed): it does not fit this host.
        var (_, otherLog) = Logged("mix-3", 8, () => new SharesReclamationPolicy());
        Assert.Equal(0, Judge(q, otherLog).Fraction);
    }

    [Fact]
    public void A_policy_that_does_nothing_leaves_the_host_to_swap_on_demand_and_earns_what_that_is_worth()
    {
        // On some mixes on-demand swapping of random pages gets by; over several it costs points that the built-in earns on every one.
        double total = 0;
        for (int seed = 1; seed <= 4; seed++)
        {
            var (q, log) = Logged("mix-3", seed, () => new DoNothing());
            var verdict = Judge(q, log);
            output.WriteLine($"{q}: {verdict.Fraction:0.00} {verdict.Feedback}");
            Assert.DoesNotContain(log.Decisions, d => d.StartsWith("balloon ", StringComparison.Ordinal) || d.StartsWith("swap ", StringComparison.Ordinal));
            total += verdict.Fraction;
        }
        Assert.True(total < 3.5, $"doing nothing earned {total:0.00} of 4");
    }

    /// <summary>Sets no balloon, no target and swaps nothing: the host swaps a random VM's page whenever a fault finds no free frame.</summary>
    private sealed class DoNothing : IReclamationPolicy
    {
        public string Name => "do-nothing";
        public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random) { }
    }

    public void Dispose() => _scratch.Dispose();
}
