using static System.FormattableString;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using VirtLab.Experiments;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;

namespace VirtLab.Grading.Sizing;

/// <summary>
/// Judges exercise 6 (sizing under overcommit). The question is a <see cref="SizingProblem"/> drawn
/// from the test's parameters and the student's seed; the student's <c>Sizing.MaxVms</c> answers with
/// a number of VMs; the judge runs the same experiments itself and compares.
/// <para>Test parameters (all optional):</para>
/// <list type="bullet">
/// <item><c>pcpus</c> (2): cores of the host;</item>
/// <item><c>mixSize</c> (3): how many VM kinds the mix has;</item>
/// <item><c>kinds</c> (["web", "web", "batch"]): what each slot of the mix is drawn from, uniformly:
/// <c>web</c> is a server that works a little per timer tick and sleeps (<c>io:work=W,sleep=S</c>),
/// <c>batch</c> a job in bursts of a few ticks (<c>bursty:busy=B,idle=I</c>);</item>
/// <item><c>readyLimitPercent</c> (5), <c>durationMs</c> (100), <c>maxVms</c> (16).</item>
/// </list>
/// <para>Points: the exact answer earns all of them, one VM off half (a boundary mistake: the first
/// count that misses the limit, or the last one that meets it minus one), anything else none.</para>
/// </summary>
public sealed class SizingJudge : ExerciseJudge<SizingProblem, int>
{
    /// <summary>Work rounds per tick of a <c>web</c> VM: 8,000 to 32,000 in steps of 4,000, about 3 % to 12 % of a CPU at a 1-tick sleep.</summary>
    private static readonly int[] WebWork = [8_000, 12_000, 16_000, 20_000, 24_000, 28_000, 32_000];
    /// <summary>Ticks a <c>web</c> VM sleeps between requests.</summary>
    private static readonly int[] WebSleep = [1, 2];
    /// <summary>Busy ticks of a <c>batch</c> VM's burst.</summary>
    private static readonly int[] BatchBusy = [1, 2];
    /// <summary>Idle ticks between a <c>batch</c> VM's bursts: a duty cycle of 10 % to 29 %.</summary>
    private static readonly int[] BatchIdle = [5, 6, 7, 8, 9];

    /// <summary>Mean CPU ready of every run this judge has made, by problem and VM count: a class shares hosts, and a judge re-checks n and n + 1.</summary>
    private readonly ConcurrentDictionary<string, Lazy<double>> _ready = new();

    public override string Name => "sizing";

    protected override SizingProblem CreateQuestion(TestParameters p, int seed)
    {
        var random = new Random(seed);
        int mixSize = p.Int("mixSize", 3, 1, 8);
        var kinds = p.Texts("kinds", ["web", "web", "batch"]);
        if (kinds.Count == 0) throw p.Bad("kinds", "needs at least one of 'web', 'batch'");
        var mix = new List<string>();
        for (int i = 0; i < mixSize; i++)
        {
            string kind = kinds[random.Next(kinds.Count)];
            mix.Add(kind switch
            {
                "web" => $"io:work={Pick(random, WebWork)},sleep={Pick(random, WebSleep)}",
                "batch" => $"bursty:busy={Pick(random, BatchBusy)},idle={Pick(random, BatchIdle)}",
                _ => throw p.Bad("kinds", $"'{kind}' is not 'web' or 'batch'"),
            });
        }
        return new SizingProblem
        {
            PhysicalCpus = p.Int("pcpus", 2, 1, 8),
            Mix = mix,
            ReadyLimitPercent = p.Number("readyLimitPercent", 5, 0.1, 100),
            DurationMilliseconds = p.Number("durationMs", 100, 20, 2_000),
            MaxVms = p.Int("maxVms", 16, 1, 64),
            Seed = seed,
        };
    }

    private static int Pick(Random random, int[] values) => values[random.Next(values.Length)];

    protected override int Ask(System.Reflection.Assembly student, SizingProblem question)
    {
        var method = FindStaticMethod(student, "Sizing", "MaxVms", typeof(int), typeof(SizingProblem));
        return (int)method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [question], CultureInfo.InvariantCulture)!;
    }

    protected override Verdict Judge(SizingProblem q, int answer)
    {
        if (answer < 0 || answer > q.MaxVms) return Verdict.Wrong($"{answer} is outside 0..{q.MaxVms}");
        int expected = Answer(q);
        string measured = $"{Show(q, answer)}; {Show(q, answer + 1)}";
        if (answer == expected) return Verdict.Correct($"{Vms(answer)}, a vCPU:pCPU ratio of {Ratio(q, answer)}: {measured}");
        if (Math.Abs(answer - expected) == 1)
            return Verdict.Partly(0.5, $"one VM off: {measured}. The answer is the last count before the first that misses the limit");
        return Verdict.Wrong($"{measured}; the answer is {expected}");
    }

    protected override string Expected(SizingProblem q)
    {
        int n = Answer(q);
        return $"{Vms(n)} (ratio {Ratio(q, n)}): {Show(q, n)}; {Show(q, n + 1)}";
    }

    protected override string Describe(SizingProblem q) => q.ToString();

    private static string Vms(int n) => n == 1 ? "1 VM" : $"{n} VMs";

    private static string Ratio(SizingProblem q, int vms) => Invariant($"{(double)vms / q.PhysicalCpus:0.##}:1");

    /// <summary>One run's outcome as feedback: "7 VMs: ready 3.9 % (meets &lt; 5 %)".</summary>
    private string Show(SizingProblem q, int vms) =>
        vms < 1 ? "0 VMs: nothing runs"
        : vms > q.MaxVms ? $"{vms} VMs: beyond the problem's {q.MaxVms}"
        : Invariant($"{Vms(vms)}: ready {ReadyPercent(q, vms):0.00} % ({(ReadyPercent(q, vms) < q.ReadyLimitPercent ? "meets" : "misses")} < {q.ReadyLimitPercent:0.##} %)");

    /// <summary>The answer by the problem's definition: scan up from one VM to the first run that misses the limit.</summary>
    internal int Answer(SizingProblem q)
    {
        for (int vms = 1; vms <= q.MaxVms; vms++)
            if (ReadyPercent(q, vms) >= q.ReadyLimitPercent) return vms - 1;
        return q.MaxVms;
    }

    /// <summary>Mean CPU ready, in percent, of the run with <paramref name="vms"/> VMs (memoized).</summary>
    internal double ReadyPercent(SizingProblem q, int vms)
    {
        string key = JsonSerializer.Serialize(q, Json) + "|" + vms.ToString(CultureInfo.InvariantCulture);
        return _ready.GetOrAdd(key, _ => new Lazy<double>(() => MeanReadyPercent(ExperimentRunner.Run(q.CreateSpec(vms))))).Value;
    }

    private static double MeanReadyPercent(RunOutcome outcome)
    {
        var vcpus = outcome.Host.Vms.SelectMany(vm => vm.Vcpus).ToList();
        return vcpus.Average(v => 100.0 * (v.Sched.ReadyCycles + v.Sched.CoStopCycles) / outcome.Host.Now);
    }
}
