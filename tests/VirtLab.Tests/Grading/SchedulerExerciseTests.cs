using System.Diagnostics;
using System.Text.Json;
using VirtLab.Experiments;
using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Results;
using VirtLab.Grading.Scheduling;
using VirtLab.Scheduling;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Exercise 2 end to end: the solution scores full marks, the released starter scores the README's
/// baseline (0), a submission that breaks on unseen hosts loses only those tests, and the judge's
/// decision replay turns forged or foreign logs into honest verdicts.
/// </summary>
public class SchedulerExerciseTests(ITestOutputHelper output) : IDisposable
{
    private const string Id = "02-scheduler";
    private readonly GradingScratch _scratch = new();
    private static ExerciseSet Source => ExerciseSet.Load(GradingScratch.SourceExercises);

    [Fact]
    public void The_solution_scores_full_marks_on_every_test_hidden_ones_included()
    {
        var result = new Grader(Source).Grade(Path.Combine(GradingScratch.SourceExercises, Id), "alice");
        var tests = result.AllTests().ToList();
        foreach (var t in tests) output.WriteLine($"{t.Test}: {t.Status} {t.Points}/{t.MaxPoints} cpu {t.CpuSeconds:0.00} s wall {t.WallSeconds:0.00} s: {t.Message}");
        Assert.Equal(6, tests.Count);
        Assert.All(tests, t => Assert.True(t.Status == TestStatus.Passed, $"{t.Test}: {t.Status}: {t.Message}"));
        Assert.Equal(10, result.Points);
        Assert.Matches(@"^run time as % of a thread: vm0 [\d.]+ % \(share [\d.]+ %\), .*; worst [\d.]+ % off \(full marks within 5 %\)$", tests[0].Message);
        Assert.Matches(@"^\d+ wake-ups: mean [\d.]+ ms, longest [\d.]+ ms to get a thread", tests[2].Message);
        Assert.All(tests.Where(t => t.Hidden), t => Assert.Equal("correct", t.Message));
    }

    [Fact]
    public void The_released_starter_builds_runs_and_scores_the_stated_baseline_of_zero()
    {
        string release = Path.Combine(_scratch.Root, "release");
        ExerciseRelease.Write(Source, release);
        string starter = File.ReadAllText(Path.Combine(release, Id, "ProportionalShareScheduler.cs"));
        Assert.DoesNotContain("VirtualRuntime", starter);
        Assert.Contains("// YOUR FIELDS AND HELPERS HERE", starter);
        Assert.Contains("A blank attempt (the starter as released) scores 0", File.ReadAllText(Path.Combine(release, Id, "README.md")));

        var graded = new Grader(Source, new GraderOptions { Exercise = Id }).Grade(Path.Combine(release, Id), "alice");
        Assert.Empty(graded.Exercises.Single().CompileErrors);
        Assert.All(graded.AllTests(), t => Assert.Equal(TestStatus.Threw, t.Status));
        // Visible tests say why (the host stops at the first call into the blank starter); hidden ones only that it threw.
        Assert.All(graded.AllTests().Where(t => !t.Hidden), t => Assert.Contains("threw NotImplementedException", t.Message));
        Assert.Equal(0, graded.Points);
        Assert.Equal(10, graded.MaxPoints);
    }

    [Fact]
    public void A_submission_that_hangs_or_breaks_the_rules_on_unseen_hosts_loses_only_those_tests()
    {
        string exercises = _scratch.Exercises(new ResourceLimits(CpuSeconds: 4, WallSeconds: 300, MemoryMiB: 512), exercise: Id);
        string folder = Path.Combine(_scratch.Root, "class", "carol", Id);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ProportionalShareScheduler.cs"),
            GradingScratch.WithSolution(Id, "ProportionalShareScheduler.cs", "ProportionalShareScheduler", "scheduler/breaks-on-unseen-hosts"));

        var result = new Grader(ExerciseSet.Load(exercises)).Grade(folder, "carol");
        var tests = result.AllTests().ToDictionary(t => t.Test);
        foreach (var t in tests.Values) output.WriteLine($"{t.Test}: {t.Status} {t.Points}/{t.MaxPoints} cpu {t.CpuSeconds:0.00} s: {t.Message}");
        // On the visible hosts it is the solution, and earns what the solution earns.
        Assert.Equal(2, tests["fairness"].Points);
        Assert.Equal(2, tests["caps"].Points);
        Assert.Equal(2, tests["latency"].Points);
        Assert.Equal(TestStatus.TimeLimit, tests["fairness-unseen-host"].Status);
        Assert.Equal(TestStatus.TimeLimit, tests["latency-unseen-host"].Status);
        Assert.Equal(TestStatus.Threw, tests["caps-unseen-host"].Status);
        Assert.Equal("the student's code threw VirtLab.Hypervisor.PolicyViolationException", tests["caps-unseen-host"].Message);
        Assert.All(new[] { "fairness-unseen-host", "latency-unseen-host", "caps-unseen-host" }, n => Assert.Equal(0, tests[n].Points));
    }

    /// <summary>A scenario of each kind, and the log a scheduler makes on it, run in this process as the child would.</summary>
    private static (SchedulingScenario Scenario, SchedulingLog Log) Logged(string kind, Func<IVcpuScheduler> scheduler)
    {
        var exercise = Source.Find(Id)!;
        var test = exercise.Tests.First(t => t.Parameters is not null && t.Parameters.Text("kind", "") == kind);
        var q = Judges.Find("scheduler")!.CreateQuestion(test, 7).Deserialize<SchedulingScenario>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var recorder = new RecordingScheduler(scheduler());
        ExperimentRunner.Run(q.CreateSpec(recorder));
        return (q, new SchedulingLog(recorder.Decisions));
    }

    private static Verdict Judge(SchedulingScenario q, SchedulingLog log)
    {
        IExerciseJudge judge = new SchedulerJudge();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        return judge.Judge(JsonSerializer.SerializeToNode(q, json)!, JsonSerializer.SerializeToNode(log, json));
    }

    [Fact]
    public void A_forged_truncated_or_foreign_log_is_judged_by_what_it_does_on_the_graders_own_host()
    {
        var clock = Stopwatch.StartNew();
        var (q, log) = Logged("fairness", () => new FairShareScheduler());
        output.WriteLine($"child-side run: {clock.Elapsed.TotalSeconds:0.00} s, {log.Decisions.Count} decisions");
        clock.Restart();
        var honest = Judge(q, log);
        output.WriteLine($"judge (replay + measure): {clock.Elapsed.TotalSeconds:0.00} s: {honest.Fraction} {honest.Feedback}");
        Assert.Equal(1, honest.Fraction);

        // Truncated: the host asks past the end of the log.
        var cut = Judge(q, new SchedulingLog(log.Decisions.Take(log.Decisions.Count / 2).ToList()));
        Assert.Equal(0, cut.Fraction);
        Assert.Contains("the decision log does not replay: the log ends after", cut.Feedback);

        // Padded: more decisions than the run asks for.
        var padded = Judge(q, new SchedulingLog([.. log.Decisions, "keep 0"]));
        Assert.Equal(0, padded.Fraction);
        Assert.Contains("1 decisions more than the run asked for", padded.Feedback);

        // Altered: a dispatch of an entity that is already running (or of one that does not exist).
        int i = log.Decisions.ToList().FindIndex(d => d.StartsWith("pick 1 ", StringComparison.Ordinal) && !d.EndsWith('-'));
        var altered = log.Decisions.ToList();
        altered[i] = "pick 1 42";
        var forged = Judge(q, new SchedulingLog(altered));
        Assert.Equal(0, forged.Fraction);
        Assert.Matches(@"decision \d+ \('pick 1 42'\) at t=[\d.]+ ms does not fit: entity 42 was not a candidate", forged.Feedback);
        altered[i] = "keep 1";
        Assert.Contains("the host asked which entity idle thread 1 runs", Judge(q, new SchedulingLog(altered)).Feedback);

        // Hand-made: leave every thread idle and never preempt. It replays, and earns what idle threads earn.
        var idle = Judge(q, new SchedulingLog([.. Enumerable.Repeat("pick 0 -", 1)]));
        Assert.Equal(0, idle.Fraction);

        // Another scenario's log (a different seed): it does not fit this host.
        var (other, otherLog) = Logged("caps", () => new FairShareScheduler());
        Assert.Equal(0, Judge(q, otherLog).Fraction);
        // On its own scenario, the built-in fair-share scheduler ignores the cap and is judged for it.
        var capsVerdict = Judge(other, otherLog);
        output.WriteLine($"fair-share on caps: {capsVerdict.Fraction:0.00} {capsVerdict.Feedback}");
        Assert.True(capsVerdict.Fraction < 1);
    }

    [Fact]
    public void Round_robin_ignores_weights_and_makes_waking_vcpus_wait_and_earns_only_what_that_is_worth()
    {
        var (q, log) = Logged("fairness", () => new EqualShares());
        var verdict = Judge(q, log);
        output.WriteLine($"{q}: {verdict.Fraction:0.00} {verdict.Feedback}");
        Assert.True(q.Vms.Select(v => v.Weight).Distinct().Count() > 1, "the scenario should have different weights");
        Assert.Equal(0, verdict.Fraction);
        Assert.Equal(q.Threads, SchedulerJudge.IdealShares(q).Sum(), 6);   // three busy VMs on two threads use both

        var (slow, slowLog) = Logged("latency", () => new EqualShares());
        var latency = Judge(slow, slowLog);
        output.WriteLine($"{slow}: {latency.Fraction:0.00} {latency.Feedback}");
        Assert.True(latency.Fraction < 1, latency.Feedback);
    }

    [Fact]
    public void Ideal_shares_divide_the_threads_by_weight_within_each_vms_thread_and_cap()
    {
        SchedulingScenario Of(int threads, params (int Weight, int Cap)[] vms) => new()
        {
            Kind = "caps", Threads = threads, DurationMilliseconds = 10, Seed = 1,
            Vms = [.. vms.Select((v, i) => new ScenarioVm($"vm{i}", v.Weight, v.Cap, "cpu"))],
        };
        Assert.Equal([0.25, 0.75], SchedulerJudge.IdealShares(Of(1, (256, 0), (768, 0))));
        // 1024 of 1536 would be 1.33 threads: it gets its one thread, the others split the second.
        Assert.Equal([0.5, 0.5, 1.0], SchedulerJudge.IdealShares(Of(2, (256, 0), (256, 0), (1024, 0))));
        // A cap binds, and what it leaves goes to the others; a cap above the weighted share does not bind.
        Assert.Equal([0.2, 0.8], SchedulerJudge.IdealShares(Of(1, (256, 20), (256, 0))));
        Assert.Equal([0.5, 0.5], SchedulerJudge.IdealShares(Of(1, (256, 80), (256, 0))));
        // Caps are not work-conserving: a capped VM alone leaves the rest idle.
        Assert.Equal([0.3], SchedulerJudge.IdealShares(Of(2, (256, 30))));
    }

    /// <summary>Round robin with a 10 ms slice: every busy vCPU the same share, whatever its weight, and a waking one waits its turn.</summary>
    private sealed class EqualShares : IVcpuScheduler
    {
        private readonly List<ISchedulable> _line = new();
        private readonly Dictionary<ISchedulable, ulong> _since = new();
        private ulong _slice;
        public string Name => "equal-shares";
        public void Initialize(int threads, ulong cyclesPerMs, IReadOnlyList<ISchedulable> entities) => _slice = 10 * cyclesPerMs;
        public void Tick(ulong now) { }
        public void OnWake(ISchedulable e, ulong now) { if (!_line.Contains(e)) _line.Add(e); }
        public void OnDeschedule(ISchedulable e, ulong now) { if (e.State == RunState.Runnable && !_line.Contains(e)) _line.Add(e); }
        public void Account(ISchedulable e, ulong cycles, ulong now) { }
        public ISchedulable? PickNext(HardwareThread t, IReadOnlyList<ISchedulable> candidates, ulong now)
        {
            var next = _line.FirstOrDefault(candidates.Contains);
            if (next is null) return null;
            _line.Remove(next);
            _since[next] = now;
            return next;
        }
        public bool ShouldPreempt(HardwareThread t, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now) =>
            waiting.Count > 0 && now - _since[current] >= _slice;
    }

    public void Dispose() => _scratch.Dispose();
}
