using static System.FormattableString;
using VirtLab.Experiments;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Hypervisor;
using VirtLab.Scheduling;

namespace VirtLab.Grading.Scheduling;

/// <summary>
/// Judges exercise 2 (a proportional-share vCPU scheduler) by decision replay. In the child, the
/// student's <c>ProportionalShareScheduler</c> schedules the scenario's host and every decision it
/// makes is written down (<see cref="SchedulingLog"/>). In the grader, the same host runs again under
/// a <see cref="ReplayScheduler"/> that plays those decisions back, checking each against the
/// question the host asks at that moment, and the judge measures the run itself. A log that does
/// not fit earns nothing; a forged log that fits is just another scheduler, judged on what it did.
/// <para>Test parameters:</para>
/// <list type="bullet">
/// <item><c>kind</c> (required): <c>fairness</c> (busy VMs with different weights: run time must follow the
/// weights), <c>caps</c> (the same with some VMs capped: a capped VM gets at most its cap and the others
/// share the rest by weight), <c>latency</c> (busy VMs keep every thread occupied while <c>sleepers</c>
/// VMs do a little work per timer tick and sleep: a waking vCPU must get a thread quickly);</item>
/// <item><c>threads</c> (2), <c>vms</c> (busy VMs, 3), <c>capped</c> (1, for <c>caps</c>),
/// <c>sleepers</c> (2, for <c>latency</c>), <c>durationMs</c> (100).</item>
/// </list>
/// <para>Points: shares within <see cref="FullMarksError"/> of the ideal earn all of them, falling
/// linearly to none at <see cref="NoMarksError"/>; a mean wake-up latency up to
/// <see cref="FullMarksLatencyMs"/> earns all, falling linearly to none at <see cref="NoMarksLatencyMs"/>.</para>
/// </summary>
public sealed class SchedulerJudge : ExerciseJudge<SchedulingScenario, SchedulingLog>
{
    /// <summary>Weights a VM is drawn from: Xen's default 256, and halves and multiples of it up to 4×.</summary>
    private static readonly int[] Weights = [128, 256, 384, 512, 768, 1024];
    /// <summary>Caps a capped VM is drawn from, in percent of one thread.</summary>
    private static readonly int[] Caps = [10, 15, 20, 25, 30, 35, 40, 50];
    /// <summary>Work rounds per timer tick of a sleeper: about 3 % to 9 % of a CPU at a one-tick sleep.</summary>
    private static readonly int[] SleeperWork = [8_000, 12_000, 16_000, 20_000, 24_000];

    /// <summary>Largest relative error of a VM's share that still earns full marks: 5 %, the issue's "within a few percent".</summary>
    public const double FullMarksError = 0.05;
    /// <summary>Relative error at which a fairness or caps test earns nothing: 25 %.</summary>
    public const double NoMarksError = 0.25;
    /// <summary>Mean wake-up latency that still earns full marks, in ms: half a millisecond, ten scheduling steps.</summary>
    public const double FullMarksLatencyMs = 0.5;
    /// <summary>Mean wake-up latency at which a latency test earns nothing, in ms: 3, the time slice of a typical proportional-share scheduler.</summary>
    public const double NoMarksLatencyMs = 3;

    public override string Name => "scheduler";

    protected override SchedulingScenario CreateQuestion(TestParameters p, int seed)
    {
        var random = new Random(seed);
        string kind = p.Text("kind", "");
        int threads = p.Int("threads", 2, 1, 4);
        int busy = p.Int("vms", 3, 1, 8);
        var vms = new List<ScenarioVm>();
        switch (kind)
        {
            case "fairness":
                if (busy <= threads) throw p.Bad("vms", $"{busy} busy VMs on {threads} threads do not compete; use more VMs than threads");
                for (int i = 0; i < busy; i++) vms.Add(new($"vm{i}", Pick(random, Weights), 0, "cpu"));
                break;
            case "caps":
                int capped = p.Int("capped", 1, 1, busy);
                for (int i = 0; i < busy; i++) vms.Add(new($"vm{i}", Pick(random, Weights), i < capped ? Pick(random, Caps) : 0, "cpu"));
                break;
            case "latency":
                if (busy < threads) throw p.Bad("vms", $"{busy} busy VMs leave some of the {threads} threads free; a latency test needs every thread busy");
                for (int i = 0; i < busy; i++) vms.Add(new($"vm{i}", Pick(random, Weights), 0, "cpu"));
                int sleepers = p.Int("sleepers", 2, 1, 4);
                for (int i = 0; i < sleepers; i++) vms.Add(new($"io{i}", 256, 0, $"io:work={Pick(random, SleeperWork)},sleep=1"));
                break;
            default:
                throw p.Bad("kind", $"'{kind}' is not 'fairness', 'caps' or 'latency'");
        }
        return new SchedulingScenario
        {
            Kind = kind, Threads = threads, Vms = vms, DurationMilliseconds = p.Number("durationMs", 100, 20, 500), Seed = seed,
        };
    }

    private static int Pick(Random random, int[] values) => values[random.Next(values.Length)];

    protected override SchedulingLog Ask(System.Reflection.Assembly student, SchedulingScenario question)
    {
        var type = student.GetTypes().FirstOrDefault(t => t.Name == "ProportionalShareScheduler" && t.IsPublic)
            ?? throw new StudentContractException("no public class ProportionalShareScheduler was found; the exercise asks for one that implements IVcpuScheduler");
        if (!typeof(IVcpuScheduler).IsAssignableFrom(type)) throw new StudentContractException("ProportionalShareScheduler does not implement IVcpuScheduler");
        if (type.GetConstructor(Type.EmptyTypes) is null) throw new StudentContractException("ProportionalShareScheduler needs a public constructor without parameters");
        return AskPolicy(Activator.CreateInstance(type)!, question);
    }

    public override Type? PolicyType => typeof(IVcpuScheduler);

    /// <summary>Runs the scenario with the student's scheduler <paramref name="policy"/> and writes its decisions down.</summary>
    protected override SchedulingLog AskPolicy(object policy, SchedulingScenario question)
    {
        var scheduler = policy as IVcpuScheduler ?? throw new StudentContractException($"{policy.GetType().Name} is not an IVcpuScheduler");
        var recorder = new RecordingScheduler(scheduler);
        ExperimentRunner.Run(question.CreateSpec(recorder));
        return new SchedulingLog(recorder.Decisions);
    }

    protected override Verdict Judge(SchedulingScenario q, SchedulingLog answer)
    {
        var replay = new ReplayScheduler(answer);
        if (DecisionReplay.Run(q.CreateSpec(replay), () => replay.Unplayed, out var outcome) is { } refused) return refused;
        replay.Finish(outcome.Host.Now);
        return q.Kind == "latency" ? JudgeLatency(q, outcome, replay) : JudgeShares(q, outcome);
    }

    private static Verdict JudgeShares(SchedulingScenario q, RunOutcome outcome)
    {
        double[] ideal = IdealShares(q);
        var vcpus = outcome.Host.Vms.Select(vm => vm.Vcpus[0]).ToList();
        var lines = new List<string>();
        double worst = 0;
        for (int i = 0; i < q.Vms.Count; i++)
        {
            double got = (double)vcpus[i].Sched.RunCycles / outcome.Host.Now;
            double error = Math.Abs(got - ideal[i]) / ideal[i];
            worst = Math.Max(worst, error);
            lines.Add(Invariant($"{q.Vms[i].Name} {100 * got:0.0} % (share {100 * ideal[i]:0.0} %)"));
        }
        string measured = Invariant($"run time as % of a thread: {string.Join(", ", lines)}; worst {100 * worst:0.0} % off");
        double fraction = (NoMarksError - worst) / (NoMarksError - FullMarksError);
        return fraction >= 1 ? Verdict.Correct(measured + Invariant($" (full marks within {100 * FullMarksError:0} %)"))
            : fraction <= 0 ? Verdict.Wrong(measured + Invariant($" (no marks from {100 * NoMarksError:0} %)"))
            : Verdict.Partly(fraction, measured + Invariant($" (full marks within {100 * FullMarksError:0} %, none from {100 * NoMarksError:0} %)"));
    }

    private static Verdict JudgeLatency(SchedulingScenario q, RunOutcome outcome, ReplayScheduler replay)
    {
        var sleepers = outcome.Host.Vms.Where(vm => vm.Name.StartsWith("io", StringComparison.Ordinal)).Select(vm => vm.Vcpus[0].Sched.Index).ToList();
        var latencies = sleepers.SelectMany(i => replay.WakeLatencies.GetValueOrDefault(i) ?? []).ToList();
        if (latencies.Count == 0) return Verdict.Wrong("the sleeping VMs never woke: they never got to run and go to sleep");
        double mean = latencies.Average(), max = latencies.Max();
        string measured = Invariant($"{latencies.Count} wake-ups: mean {mean:0.000} ms, longest {max:0.000} ms to get a thread");
        double fraction = (NoMarksLatencyMs - mean) / (NoMarksLatencyMs - FullMarksLatencyMs);
        return fraction >= 1 ? Verdict.Correct(measured + Invariant($" (full marks up to {FullMarksLatencyMs:0.0} ms)"))
            : fraction <= 0 ? Verdict.Wrong(measured + Invariant($" (no marks from {NoMarksLatencyMs:0.0} ms)"))
            : Verdict.Partly(fraction, measured + Invariant($" (full marks up to {FullMarksLatencyMs:0.0} ms, none from {NoMarksLatencyMs:0.0} ms)"));
    }

    /// <summary>
    /// Each VM's fair share of the run, as a fraction of one thread: the host's threads divided in
    /// proportion to the weights, except that no VM gets more than it can use (one thread, for a
    /// one-vCPU VM) or more than its cap; what those leave over goes to the others, again by weight
    /// (weighted max-min fairness, by water-filling).
    /// </summary>
    internal static double[] IdealShares(SchedulingScenario q)
    {
        int n = q.Vms.Count;
        double[] bound = [.. q.Vms.Select(v => v.CapPercent > 0 ? Math.Min(1, v.CapPercent / 100.0) : 1)];
        double[] share = new double[n];
        var open = Enumerable.Range(0, n).ToHashSet();
        double left = q.Threads;
        while (open.Count > 0 && left > 1e-12)
        {
            double weights = open.Sum(i => (double)q.Vms[i].Weight);
            var full = open.Where(i => left * q.Vms[i].Weight / weights >= bound[i]).ToList();
            if (full.Count == 0)
            {
                foreach (int i in open) share[i] = left * q.Vms[i].Weight / weights;
                break;
            }
            foreach (int i in full) { share[i] = bound[i]; left -= bound[i]; open.Remove(i); }
        }
        return share;
    }

    protected override string Expected(SchedulingScenario q) => q.Kind == "latency"
        ? Invariant($"a mean wake-up latency of the io VMs up to {FullMarksLatencyMs:0.0} ms")
        : Invariant($"shares within {100 * FullMarksError:0} % of: {string.Join(", ", q.Vms.Zip(IdealShares(q), (v, s) => Invariant($"{v.Name} {100 * s:0.0} %")))}");

    protected override string Describe(SchedulingScenario q) => q.ToString();
}
