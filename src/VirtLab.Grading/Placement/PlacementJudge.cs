using static System.FormattableString;
using System.Collections.Concurrent;
using System.Text.Json;
using VirtLab.Experiments;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Scheduling;
using VirtLab.Hypervisor;
using VirtLab.Scheduling;

namespace VirtLab.Grading.Placement;

/// <summary>
/// Judges exercise 4 (SMT placement) by decision replay, as <see cref="SchedulerJudge"/> does for
/// schedulers: the student's <c>ThreadPlacement</c> places vCPUs in the child and its decisions are
/// written down; the grader replays them on its own host and measures the guests' throughput (the
/// instructions all VMs retired), against the built-in placement on the same host
/// (<see cref="SmtPlacement.SmtAware"/>, or <see cref="SmtPlacement.SameVmSiblings"/> under the rule).
/// <para>Test parameters: <c>cores</c> (2), <c>vms</c> (2), <c>vcpus</c> (vCPUs per VM, 1),
/// <c>rule</c> (<c>none</c> or <c>same-vm-siblings</c>), <c>durationMs</c> (40).</para>
/// <para>Points: a throughput of at least <see cref="FullMarksRatio"/> of the built-in's earns all of
/// them, falling linearly to none at <see cref="NoMarksRatio"/>; under the rule, a single decision that
/// puts two VMs' vCPUs on one core earns none.</para>
/// </summary>
public sealed class PlacementJudge : ExerciseJudge<PlacementScenario, PlacementLog>
{
    /// <summary>Workloads a VM is drawn from: integer work, ALU work, and a walk over 32 pages that leans on the core's shared cache.</summary>
    private static readonly string[] Workloads = ["cpu", "alu", "mem:pages=32,stride=64"];

    /// <summary>Throughput, as a fraction of the built-in placement's, that earns full marks: 98 %.</summary>
    public const double FullMarksRatio = 0.98;
    /// <summary>Throughput fraction at which a test earns nothing: 85 %.</summary>
    public const double NoMarksRatio = 0.85;

    /// <summary>The built-in's throughput per scenario: a class shares its hidden hosts.</summary>
    private readonly ConcurrentDictionary<string, Lazy<ulong>> _builtIn = new();

    public override string Name => "placement";

    protected override PlacementScenario CreateQuestion(TestParameters p, int seed)
    {
        var random = new Random(seed);
        int cores = p.Int("cores", 2, 1, 4);
        int vms = p.Int("vms", 2, 1, 8);
        int vcpus = p.Int("vcpus", 1, 1, 4);
        string rule = p.Text("rule", "none");
        if (rule is not ("none" or "same-vm-siblings")) throw p.Bad("rule", $"'{rule}' is not 'none' or 'same-vm-siblings'");
        return new PlacementScenario
        {
            Cores = cores,
            SameVmSiblings = rule == "same-vm-siblings",
            Vms = [.. Enumerable.Range(0, vms).Select(i => new PlacementVm($"vm{i}", vcpus, Workloads[random.Next(Workloads.Length)]))],
            DurationMilliseconds = p.Number("durationMs", 40, 10, 500),
            Seed = seed,
        };
    }

    protected override PlacementLog Ask(System.Reflection.Assembly student, PlacementScenario question)
    {
        var type = student.GetTypes().FirstOrDefault(t => t.Name == "ThreadPlacement" && t.IsPublic)
            ?? throw new StudentContractException("no public class ThreadPlacement was found; the exercise asks for one that implements ISmtPlacement");
        if (!typeof(ISmtPlacement).IsAssignableFrom(type)) throw new StudentContractException("ThreadPlacement does not implement ISmtPlacement");
        var make = type.GetConstructor([typeof(bool)])
            ?? throw new StudentContractException("ThreadPlacement needs a public constructor ThreadPlacement(bool sameVmSiblings)");
        return AskPolicy((ISmtPlacement)make.Invoke([question.SameVmSiblings]), question);
    }

    public override Type? PolicyType => typeof(ISmtPlacement);

    /// <summary>
    /// Runs the scenario with <paramref name="policy"/>: an <see cref="ISmtPlacement"/>, asked as it is,
    /// or a <c>Func&lt;bool, ISmtPlacement&gt;</c> that makes one for the scenario's rule, as the grader's
    /// <c>new ThreadPlacement(sameVmSiblings)</c> does.
    /// </summary>
    protected override PlacementLog AskPolicy(object policy, PlacementScenario question)
    {
        var placement = policy switch
        {
            Func<bool, ISmtPlacement> make => make(question.SameVmSiblings),
            ISmtPlacement given => given,
            _ => throw new StudentContractException($"{policy.GetType().Name} is not an ISmtPlacement (nor a Func<bool, ISmtPlacement> that makes one)"),
        };
        var recorder = new RecordingPlacement(placement);
        ExperimentRunner.Run(question.CreateSpec(recorder));
        return new PlacementLog(recorder.Decisions);
    }

    protected override Verdict Judge(PlacementScenario q, PlacementLog answer)
    {
        var replay = new ReplayPlacement(answer);
        if (DecisionReplay.Run(q.CreateSpec(replay), () => replay.Unplayed, out var outcome) is { } refused) return refused;
        if (q.SameVmSiblings && replay.MixedCore is { } mixed) return Verdict.Wrong($"the same-VM-siblings rule was broken: {mixed}");
        ulong got = Throughput(outcome), reference = BuiltIn(q);
        double ratio = (double)got / reference;
        string measured = Invariant($"{got:N0} instructions retired, {100 * ratio:0.0} % of the built-in {BuiltInPlacement(q).Name} placement's {reference:N0}");
        double fraction = (ratio - NoMarksRatio) / (FullMarksRatio - NoMarksRatio);
        return fraction >= 1 ? Verdict.Correct(measured + Invariant($" (full marks from {100 * FullMarksRatio:0} %)"))
            : fraction <= 0 ? Verdict.Wrong(measured + Invariant($" (no marks below {100 * NoMarksRatio:0} %)"))
            : Verdict.Partly(fraction, measured + Invariant($" (full marks from {100 * FullMarksRatio:0} %, none below {100 * NoMarksRatio:0} %)"));
    }

    private static ISmtPlacement BuiltInPlacement(PlacementScenario q) => q.SameVmSiblings ? SmtPlacement.SameVmSiblings : SmtPlacement.SmtAware;

    private static ulong Throughput(RunOutcome outcome) => outcome.Host.Vms.Aggregate(0UL, (sum, vm) => sum + vm.Instructions);

    /// <summary>The built-in placement's throughput on <paramref name="q"/> (memoized).</summary>
    internal ulong BuiltIn(PlacementScenario q) =>
        _builtIn.GetOrAdd(JsonSerializer.Serialize(q, Json), _ => new Lazy<ulong>(() => Throughput(ExperimentRunner.Run(q.CreateSpec(BuiltInPlacement(q)))))).Value;

    protected override string Expected(PlacementScenario q) =>
        Invariant($"at least {100 * FullMarksRatio:0} % of {BuiltIn(q):N0} instructions (the {BuiltInPlacement(q).Name} placement){(q.SameVmSiblings ? ", never two VMs on one core" : "")}");

    protected override string Describe(PlacementScenario q) => q.ToString();
}
