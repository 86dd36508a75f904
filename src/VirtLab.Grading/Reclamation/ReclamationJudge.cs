using static System.FormattableString;
using System.Collections.Concurrent;
using System.Text.Json;
using VirtLab.Experiments;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Scheduling;
using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Grading.Reclamation;

/// <summary>
/// Judges exercise 3 (a reclamation policy) by decision replay. In the child, the student's
/// <c>ServiceLevelPolicy</c> reclaims memory on the scenario's overcommitted host and every decision
/// it makes is written down (<see cref="ReclamationLog"/>). In the grader, the same host runs again
/// under a <see cref="ReplayReclamationPolicy"/> that plays those decisions back, checking each
/// against the call the host makes at that moment, and the judge measures the run itself: each VM's
/// progress (its guest's own counter) against the same VM on a host with RAM to spare, and the
/// pages swapped out against a run under the built-in <see cref="SharesReclamationPolicy"/>. A log
/// that does not fit earns nothing; a forged log that fits is just another policy, judged on what it did.
/// <para>Test parameters: <c>vms</c> (3, 2..5), <c>overcommit</c> (1.5, 1.1..2.0), <c>durationMs</c> (300, 50..500).</para>
/// <para>Points: half for the service level (the worst VM's progress, relative to unconstrained, of
/// at least <see cref="ServiceLevel"/>, or of at least the built-in's worst VM on a mix where the built-in
/// misses it, less <see cref="ServiceTolerance"/>, earns all of that half, falling linearly to none <see cref="ServiceMargin"/> below), half for swapping (at most <see cref="FullMarksSwapFactor"/>
/// times the built-in's swap-outs, plus <see cref="SwapAllowancePages"/>, earns all of it, falling
/// linearly to none at <see cref="NoMarksSwapFactor"/> times). The swapping half counts only when the
/// service half earned something: starving a VM is not a way to swap less.</para>
/// </summary>
public sealed class ReclamationJudge : ExerciseJudge<ReclamationScenario, ReclamationLog>
{
    /// <summary>A VM's configured size, in pages (1 MiB): small, so that a test's four runs of 300 ms take well under a second.</summary>
    private const int VmPages = 256;
    /// <summary>Memory shares a VM is drawn from: half, the default, and twice the default of 1000.</summary>
    private static readonly int[] Shares = [500, 1000, 1000, 2000];

    /// <summary>The service level: every VM keeps at least this fraction of its unconstrained progress for full marks on that half.</summary>
    public const double ServiceLevel = 0.70;
    /// <summary>
    /// How far below the service level (or the built-in's worst VM) the worst VM may be and still earn the whole
    /// service half: 10 percentage points. A swap-in stalls its guest for milliseconds, so one swap more or less
    /// of a busy page moves a VM's progress by several points; the same policy on another seed moves as much.
    /// </summary>
    public const double ServiceTolerance = 0.10;
    /// <summary>How far below full marks the worst VM's relative progress may fall before the service half earns nothing: 20 more percentage points.</summary>
    public const double ServiceMargin = 0.20;
    /// <summary>Swap-outs up to this multiple of the built-in's (plus <see cref="SwapAllowancePages"/>) earn the whole swapping half.</summary>
    public const double FullMarksSwapFactor = 1.25;
    /// <summary>Swap-outs at this multiple of the built-in's earn nothing of the swapping half.</summary>
    public const double NoMarksSwapFactor = 2.0;
    /// <summary>Pages of slack on the built-in's swap-outs, so that a mix the built-in gets through with almost no swapping does not turn a few pages into a large ratio.</summary>
    public const int SwapAllowancePages = 16;

    private readonly ConcurrentDictionary<string, Lazy<Reference>> _references = new();

    public override string Name => "reclamation";

    protected override ReclamationScenario CreateQuestion(TestParameters p, int seed)
    {
        var random = new Random(seed);
        int n = p.Int("vms", 3, 2, 5);
        double overcommit = p.Number("overcommit", 1.5, 1.1, 2.0);
        var vms = new List<MixVm>();
        for (int i = 0; i < n; i++)
        {
            // Each guest allocates and walks a large part of its memory for a few ticks, frees it and sleeps: out of step with the others.
            int demand = VmPages * random.Next(65, 86) / 100;
            string workload = Invariant($"phases:pages={demand},ticks={random.Next(5, 11)},delay={random.Next(0, 6) + 15 * i},idle={random.Next(25, 41)}");
            vms.Add(new MixVm($"vm{i}", VmPages, Shares[random.Next(Shares.Length)], workload));
        }
        return new ReclamationScenario
        {
            Vms = vms, AvailablePages = (int)Math.Round(n * VmPages / overcommit),
            DurationMilliseconds = p.Number("durationMs", 300, 50, 500), Seed = seed,
        };
    }

    protected override ReclamationLog Ask(System.Reflection.Assembly student, ReclamationScenario question)
    {
        var type = student.GetTypes().FirstOrDefault(t => t.Name == "ServiceLevelPolicy" && t.IsPublic)
            ?? throw new StudentContractException("no public class ServiceLevelPolicy was found; the exercise asks for one that implements IReclamationPolicy");
        if (!typeof(IReclamationPolicy).IsAssignableFrom(type)) throw new StudentContractException("ServiceLevelPolicy does not implement IReclamationPolicy");
        if (type.GetConstructor(Type.EmptyTypes) is null) throw new StudentContractException("ServiceLevelPolicy needs a public constructor without parameters");
        var recorder = new RecordingReclamationPolicy((IReclamationPolicy)Activator.CreateInstance(type)!, question.Seed);
        ExperimentRunner.Run(question.CreateSpec(recorder));
        return new ReclamationLog(recorder.Decisions);
    }

    protected override Verdict Judge(ReclamationScenario q, ReclamationLog answer)
    {
        var replay = new ReplayReclamationPolicy(answer);
        if (DecisionReplay.Run(q.CreateSpec(replay), () => replay.Unplayed, out var outcome) is { } refused) return refused;

        var reference = ReferenceOf(q);
        var got = Measure(outcome);
        double worst = got.Worst(reference.Unconstrained);
        // On a mix so tight that the built-in policy itself misses the service level, matching the built-in is the bar.
        double builtInWorst = reference.BuiltIn.Worst(reference.Unconstrained), bar = Math.Min(ServiceLevel, builtInWorst) - ServiceTolerance, none = bar - ServiceMargin;
        double service = Math.Clamp((worst - none) / (bar - none), 0, 1);
        double fullSwaps = FullMarksSwapFactor * reference.BuiltIn.SwapOuts + SwapAllowancePages, noSwaps = NoMarksSwapFactor * reference.BuiltIn.SwapOuts + SwapAllowancePages;
        double swapping = service > 0 ? Math.Clamp((noSwaps - got.SwapOuts) / (noSwaps - fullSwaps), 0, 1) : 0;
        double fraction = 0.5 * service + 0.5 * swapping;

        string progress = string.Join(", ", q.Vms.Select((v, i) => Invariant($"{v.Name} {100 * got.Progress[i] / Math.Max(1, reference.Unconstrained[i]):0} %{(got.Stopped[i] is { } why ? $" (stopped: {why})" : "")}")));
        string measured = Invariant($"progress of unconstrained: {progress} (worst {100 * worst:0} %; the built-in's worst {100 * builtInWorst:0} %; full marks from {100 * Math.Max(0, bar):0} %, none below {100 * Math.Max(0, none):0} %); ")
            + Invariant($"{got.SwapOuts} pages swapped out, the built-in {reference.BuiltIn.Name} policy {reference.BuiltIn.SwapOuts} (full marks up to {fullSwaps:0}, none from {noSwaps:0})")
            + (service > 0 ? "" : "; swapping earns nothing while a VM misses the service level by that much");
        return fraction >= 1 ? Verdict.Correct(measured) : fraction <= 0 ? Verdict.Wrong(measured) : Verdict.Partly(fraction, measured);
    }

    /// <summary>Each VM's progress and the pages swapped out in a run.</summary>
    private sealed record Measured(string Name, long[] Progress, long SwapOuts, string?[] Stopped)
    {
        /// <summary>The lowest progress of any VM relative to <paramref name="unconstrained"/>.</summary>
        public double Worst(long[] unconstrained) => Progress.Select((p, i) => (double)p / Math.Max(1, unconstrained[i])).Min();
    }

    /// <summary>What the grader compares a student's run with: the unconstrained progress, and the built-in policy's run.</summary>
    private sealed record Reference(long[] Unconstrained, Measured BuiltIn);

    private static Measured Measure(RunOutcome outcome, string name = "") =>
        new(name, [.. outcome.Host.Vms.Select(vm => (long)vm.Progress)], outcome.Host.Vms.Sum(vm => vm.Memory.SwapOuts),
            [.. outcome.Host.Vms.Select(vm => vm.IsStopped ? vm.StopReason : null)]);

    /// <summary>The unconstrained and built-in runs of <paramref name="q"/> (memoized: a class shares the hidden scenarios).</summary>
    private Reference ReferenceOf(ReclamationScenario q) =>
        _references.GetOrAdd(JsonSerializer.Serialize(q, Json), _ => new Lazy<Reference>(() =>
        {
            var unconstrained = Measure(ExperimentRunner.Run(q.CreateSpec(null, unconstrained: true)));
            var builtIn = new SharesReclamationPolicy();
            return new Reference(unconstrained.Progress, Measure(ExperimentRunner.Run(q.CreateSpec(builtIn)), builtIn.Name));
        })).Value;

    protected override string Expected(ReclamationScenario q)
    {
        var r = ReferenceOf(q);
        return Invariant($"every VM at least {100 * ServiceLevel:0} % of its unconstrained progress ({string.Join(", ", r.Unconstrained)}), ")
            + Invariant($"at most {FullMarksSwapFactor * r.BuiltIn.SwapOuts + SwapAllowancePages:0} pages swapped out (the built-in {r.BuiltIn.Name} policy: {r.BuiltIn.SwapOuts}, worst VM {100 * r.BuiltIn.Worst(r.Unconstrained):0} %)");
    }

    protected override string Describe(ReclamationScenario q) => q.ToString();
}
