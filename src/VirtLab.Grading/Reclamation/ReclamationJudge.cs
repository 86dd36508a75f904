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
/// <para>Test parameters: <c>vms</c> (3, 2..5), <c>pressure</c> (1.05, 1.0..1.5: the pages the VMs'
/// guests touch over the frames the host has for them), <c>durationMs</c> (600, 100..1000).</para>
/// <para>The mix: every VM runs the <c>phases</c> workload with one common period of
/// <see cref="PhasePeriodTicks"/> ticks, started out of step (VM i a fraction i / n of a period later), so
/// that with no stalls busy phases hardly overlap. A mix is used only if the built-in policy keeps every
/// VM at <see cref="BuiltInServiceLevel"/> of its unconstrained progress or more; otherwise the next mix is
/// drawn from the same seed (at most <see cref="MaxDraws"/>). Each test then measures whether a policy does
/// what the built-in shows can be done on that mix.</para>
/// <para>Points: half for the service level (the worst VM's progress relative to unconstrained at least the
/// built-in's worst (at most <see cref="ServiceCap"/>) less <see cref="ServiceTolerance"/> earns all of that half, falling linearly to none
/// <see cref="ServiceMargin"/> lower), half for swapping (at most the built-in's swap-outs plus
/// <see cref="SwapAllowance"/> of the pages the mix touches earns all of it, falling linearly to none at
/// twice that allowance). The swapping half counts only when the service half earned something: starving
/// a VM is not a way to swap less.</para>
/// </summary>
public sealed class ReclamationJudge : ExerciseJudge<ReclamationScenario, ReclamationLog>
{
    /// <summary>A VM's configured size, in pages (1 MiB): small, so that a test's four runs take about a second.</summary>
    private const int VmPages = 256;
    /// <summary>Memory shares a VM is drawn from: half, the default, and twice the default of 1000.</summary>
    private static readonly int[] Shares = [500, 1000, 1000, 2000];
    /// <summary>
    /// The phase period every VM of a mix shares, in 1 ms ticks: a busy phase of 5 to 10 ticks and the rest idle.
    /// One period for all keeps the VMs out of step as they start (a third of a period apart with 3 VMs, a
    /// quarter with 4, about the longest busy phase or more); with periods of their own they would drift into
    /// step within a run, and a mix would test whether its phases happen to collide rather than the policy.
    /// </summary>
    public const int PhasePeriodTicks = 45;
    /// <summary>
    /// Pages the guest kernel maps besides a phase's pages (its code, stack and page tables), measured: an
    /// unconstrained VM of the phases workload ends holding exactly its phase's pages plus these.
    /// </summary>
    private const int GuestKernelPages = 9;

    /// <summary>
    /// A mix is used only if the built-in policy keeps every VM at this fraction of its unconstrained progress:
    /// on a mix where the built-in itself starves a VM (its phases collide and every policy must stall someone),
    /// the worst VM's progress says more about the collision than about the policy.
    /// </summary>
    public const double BuiltInServiceLevel = 0.60;
    /// <summary>
    /// The service bar never rises above this fraction of unconstrained progress (less <see cref="ServiceTolerance"/>):
    /// a VM at 80 % is served, and a mix on which the built-in happens to do better does not make a policy that
    /// serves every VM at 80 % a failure.
    /// </summary>
    public const double ServiceCap = 0.80;
    /// <summary>Mixes drawn at most per test before the one the built-in serves best is used anyway.</summary>
    public const int MaxDraws = 8;
    /// <summary>
    /// How far below the built-in's worst VM a policy's worst VM may be and still earn the whole service half:
    /// 10 percentage points. A swap-in stalls its guest for 3 ms of a 5 to 10 ms busy phase, so a few swap-ins
    /// more or less of busy pages move a VM by several points: policies as good as the built-in differ by that much.
    /// </summary>
    public const double ServiceTolerance = 0.10;
    /// <summary>How far below full marks the worst VM's relative progress may fall before the service half earns nothing: 20 more percentage points.</summary>
    public const double ServiceMargin = 0.20;
    /// <summary>
    /// Swap-outs above the built-in's that still earn the whole swapping half, as a fraction of the pages the
    /// mix's guests touch (each VM's phase plus its kernel): an eighth, about half of one VM's phase in a mix of
    /// 4 (the built-in's own swap-outs vary by more than that from one mix to the next). None of the half is
    /// earned at twice this. A policy that leaves all reclaiming to the host's on-demand swapping swaps about
    /// two thirds of the touched pages on these mixes.
    /// </summary>
    public const double SwapAllowance = 0.125;

    private readonly ConcurrentDictionary<string, Lazy<Reference>> _references = new();

    public override string Name => "reclamation";

    /// <summary>The test's parameters, checked: the number of VMs, the pressure and the run's length in ms.</summary>
    private static (int Vms, double Pressure, double Duration) Read(TestParameters p) =>
        (p.Int("vms", 3, 2, 5), p.Number("pressure", 1.05, 1.0, 1.5), p.Number("durationMs", 600, 100, 1000));

    /// <summary>Only the parameters: a question costs the built-in and unconstrained runs of each mix drawn.</summary>
    protected override void CheckParameters(TestParameters p) => Read(p);

    protected override ReclamationScenario CreateQuestion(TestParameters p, int seed)
    {
        var random = new Random(seed);
        var (n, pressure, duration) = Read(p);
        ReclamationScenario? best = null;
        double bestWorst = double.NegativeInfinity;
        for (int draw = 0; draw < MaxDraws; draw++)
        {
            var q = Draw(random, n, pressure, duration, seed);
            double worst;
            try { var r = ReferenceOf(q); worst = r.BuiltIn.Worst(r.Unconstrained); }
            catch (PolicyViolationException) { continue; }   // the built-in broke a host rule on this mix: not a bar to measure against
            if (worst >= BuiltInServiceLevel) return q;
            if (worst > bestWorst) (best, bestWorst) = (q, worst);
        }
        return best ?? throw new InvalidOperationException($"the built-in policy could not run any of {MaxDraws} mixes drawn from seed {seed}");
    }

    /// <summary>One mix of <paramref name="n"/> VMs from <paramref name="random"/>.</summary>
    private static ReclamationScenario Draw(Random random, int n, double pressure, double duration, int seed)
    {
        var vms = new List<MixVm>();
        int touched = 0;
        for (int i = 0; i < n; i++)
        {
            int demand = VmPages * random.Next(65, 86) / 100, busy = random.Next(5, 11);
            int delay = i * PhasePeriodTicks / n + random.Next(0, 3);
            vms.Add(new MixVm($"vm{i}", VmPages, Shares[random.Next(Shares.Length)], Invariant($"phases:pages={demand},ticks={busy},delay={delay},idle={PhasePeriodTicks - busy}")));
            touched += demand + GuestKernelPages;
        }
        return new ReclamationScenario { Vms = vms, TouchedPages = touched, AvailablePages = (int)Math.Round(touched / pressure), DurationMilliseconds = duration, Seed = seed };
    }

    protected override ReclamationLog Ask(System.Reflection.Assembly student, ReclamationScenario question)
    {
        var type = student.GetTypes().FirstOrDefault(t => t.Name == "ServiceLevelPolicy" && t.IsPublic)
            ?? throw new StudentContractException("no public class ServiceLevelPolicy was found; the exercise asks for one that implements IReclamationPolicy");
        if (!typeof(IReclamationPolicy).IsAssignableFrom(type)) throw new StudentContractException("ServiceLevelPolicy does not implement IReclamationPolicy");
        if (type.GetConstructor(Type.EmptyTypes) is null) throw new StudentContractException("ServiceLevelPolicy needs a public constructor without parameters");
        return AskPolicy(Activator.CreateInstance(type)!, question);
    }

    public override Type? PolicyType => typeof(IReclamationPolicy);

    /// <summary>Runs the mix with the student's reclamation policy <paramref name="policy"/> and writes its decisions down.</summary>
    protected override ReclamationLog AskPolicy(object policy, ReclamationScenario question)
    {
        var reclamation = policy as IReclamationPolicy ?? throw new StudentContractException($"{policy.GetType().Name} is not an IReclamationPolicy");
        var recorder = new RecordingReclamationPolicy(reclamation, question.Seed);
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
        double builtInWorst = reference.BuiltIn.Worst(reference.Unconstrained), bar = Math.Min(builtInWorst, ServiceCap) - ServiceTolerance, none = bar - ServiceMargin;
        double service = Math.Clamp((worst - none) / (bar - none), 0, 1);
        double allowance = SwapAllowance * q.TouchedPages, fullSwaps = reference.BuiltIn.SwapOuts + allowance, noSwaps = fullSwaps + allowance;
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
        double builtInWorst = r.BuiltIn.Worst(r.Unconstrained);
        return Invariant($"every VM at least {100 * (Math.Min(builtInWorst, ServiceCap) - ServiceTolerance):0} % of its unconstrained progress ({string.Join(", ", r.Unconstrained)}; the built-in {r.BuiltIn.Name} policy's worst VM {100 * builtInWorst:0} %), ")
            + Invariant($"at most {r.BuiltIn.SwapOuts + SwapAllowance * q.TouchedPages:0} pages swapped out (the built-in: {r.BuiltIn.SwapOuts})");
    }

    protected override string Describe(ReclamationScenario q) => q.ToString();
}
