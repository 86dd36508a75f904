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

    /// <summary>Students whose variants the tests below use: a dozen ids, as a class would have.</summary>
    private static readonly string[] Students = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj"];

    [Fact]
    public void The_solution_scores_full_marks_for_each_of_a_dozen_students()
    {
        // Each student's own visible mixes and the class's hidden ones, through the judge's own three steps (question,
        // the compiled solution's answer, verdict) in this process: the end-to-end test above covers the child process.
        var judge = Judges.Find("reclamation")!;
        var exercise = Source.Find(Id)!;
        var clock = Stopwatch.StartNew();
        var solution = CompileSolution();
        output.WriteLine($"compiled in {clock.Elapsed.TotalSeconds:0.0} s");
        var failed = new List<string>();
        var mixes = Students.SelectMany(s => exercise.Tests.Where(t => !t.Hidden).Select(t => (Student: s, Test: t)))
            .Concat(exercise.Tests.Where(t => t.Hidden).Select(t => (Student: "anyone", Test: t)));
        foreach (var (student, test) in mixes)
        {
            var question = judge.CreateQuestion(test, Variant.Seed(Id, test, student));
            var verdict = judge.Judge(question, judge.AskStudent(solution, question));
            output.WriteLine($"{student} {test.Name}: {verdict.Fraction:0.00} {verdict.Feedback}");
            if (verdict.Fraction < 1) failed.Add($"{student} {test.Name}: {verdict.Fraction:0.00} {verdict.Feedback}");
        }
        output.WriteLine($"{2 * Students.Length + 2} mixes in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(failed);
    }

    /// <summary>The exercise's ServiceLevelPolicy.cs, solution regions and all, compiled as the grader's child does.</summary>
    private static System.Reflection.Assembly CompileSolution() => GradingScratch.CompileSolution(Id, "ServiceLevelPolicy.cs");

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

    /// <summary>The grader's own judge object: it keeps the built-in and unconstrained runs of every mix it has drawn, as in a class's grading.</summary>
    private static Verdict Judge(ReclamationScenario q, ReclamationLog log) =>
        Judges.Find("reclamation")!.Judge(JsonSerializer.SerializeToNode(q, Json)!, JsonSerializer.SerializeToNode(log, Json));

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

    /// <summary>
    /// What <paramref name="policy"/> earns on every mix of <see cref="Students"/>'s first six students and on
    /// the two hidden mixes, judged as the grader judges (logged in this process as the child would, then replayed).
    /// </summary>
    private List<double> Fractions(Func<IReclamationPolicy> policy)
    {
        var exercise = Source.Find(Id)!;
        var mixes = Students.Take(6).SelectMany(s => exercise.Tests.Where(t => !t.Hidden).Select(t => (t.Name, Seed: Variant.Seed(Id, t, s))))
            .Concat(exercise.Tests.Where(t => t.Hidden).Select(t => (t.Name, Seed: Variant.Seed(Id, t, "anyone"))));
        var clock = Stopwatch.StartNew();
        var fractions = new List<double>();
        foreach (var (test, seed) in mixes)
        {
            var (q, log) = Logged(test, seed, policy);
            var verdict = Judge(q, log);
            output.WriteLine($"{test} seed {seed}: {verdict.Fraction:0.00} {verdict.Feedback}");
            fractions.Add(verdict.Fraction);
        }
        output.WriteLine($"{fractions.Count} mixes, mean {fractions.Average():0.00}, max {fractions.Max():0.00}; {clock.Elapsed.TotalSeconds:0.0} s");
        return fractions;
    }

    [Fact]
    public void A_policy_that_does_nothing_leaves_the_host_to_swap_on_demand_and_earns_far_less_than_full_marks()
    {
        // The mixes' guests touch more pages than the host has (pressure 1.05 and 1.1): on-demand swapping of random pages
        // swaps some two thirds of what they touch and stalls busy guests. Measured over 20 students: never full marks on
        // a mix, 0.08 on average, 0.62 at most.
        var fractions = Fractions(() => new DoNothing());
        Assert.All(fractions, f => Assert.True(f < 1, $"doing nothing earned full marks on a mix"));
        Assert.True(fractions.Average() <= 0.25, $"doing nothing earned {fractions.Average():0.00} on average");
    }

    [Fact]
    public void A_policy_that_swaps_everything_at_once_never_earns_the_swapping_half()
    {
        // It swaps out all that every VM holds whenever memory runs short: more pages than the guests touch in all, far
        // beyond the built-in's swap-outs plus a quarter of the touched pages (where the swapping half reaches zero).
        var fractions = Fractions(() => new SwapEverything());
        Assert.All(fractions, f => Assert.True(f <= 0.5, $"swapping everything earned {f:0.00} on a mix"));
    }

    [Fact]
    public void A_policy_that_starves_one_vm_earns_far_less_than_full_marks()
    {
        // vm0 gives everything (balloon to the max, swapped down to its floor, always the victim): its progress falls to
        // about half of the built-in's worst VM. Measured on these 14 mixes: 0.33 on average, 2 at full marks, where the
        // built-in itself swapped as much and left its worst VM near 60 % (over 20 students' 42 mixes: 0.19 on average, 2 at full marks).
        var fractions = Fractions(() => new StarveOne());
        Assert.True(fractions.Average() <= 0.5, $"starving a VM earned {fractions.Average():0.00} on average");
        Assert.True(fractions.Count(f => f >= 1) <= fractions.Count / 4, $"starving a VM earned full marks on {fractions.Count(f => f >= 1)} of {fractions.Count} mixes");
    }

    /// <summary>Sets no balloon, no target and swaps nothing: the host swaps a random VM's page whenever a fault finds no free frame.</summary>
    private sealed class DoNothing : IReclamationPolicy
    {
        public string Name => "do-nothing";
        public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random) { }
    }

    /// <summary>Whenever memory runs short, swaps out everything every VM holds above what the host lets it keep.</summary>
    private sealed class SwapEverything : IReclamationPolicy
    {
        public string Name => "swap-everything";
        public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
        {
            if (state == ReclamationState.High) return;
            foreach (var v in vms)
            {
                int keep = state == ReclamationState.Low ? 0 : v.MinPages;
                if (v.CanSwap && v.MappedPages > keep) v.SwapOut(v.MappedPages - keep);
            }
        }
    }

    /// <summary>Takes every page from the first VM: its balloon as large as allowed, its pages swapped out (64 a period), and it is always the victim.</summary>
    private sealed class StarveOne : IReclamationPolicy
    {
        public string Name => "starve-one";
        public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
        {
            var v = vms[0];
            int keep = state == ReclamationState.Low ? 0 : v.MinPages;
            v.TargetPages = keep;
            if (v.HasBalloonDriver) v.BalloonTarget = v.MaxPages - v.MinPages;
            if (state != ReclamationState.High && v.CanSwap && v.MappedPages > keep) v.SwapOut(Math.Min(64, v.MappedPages - keep));
        }
        public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random) => candidates.FirstOrDefault(c => c.Name == "vm0") ?? candidates[0];
    }

    public void Dispose() => _scratch.Dispose();
}
