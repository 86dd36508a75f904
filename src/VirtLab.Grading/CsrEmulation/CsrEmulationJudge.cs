using System.Globalization;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Hypervisor;

namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// Judges exercise 1 (emulate the privileged instructions): the student's <c>CsrEmulator</c>, an
/// <see cref="IInstructionEmulator"/>, runs guest programs (<see cref="CsrGuests"/>), and each test
/// passes when its guest ends exactly as under VirtLab's own hypervisor: the same output, exit
/// code, registers and virtual CSRs.
/// <para>
/// <b>Why a forged answer earns nothing.</b> In the child the guest runs with the student's
/// emulator, and the answer is the log of its decisions (<see cref="EmulationLog"/>): for each
/// trapped instruction, the registers and CSRs it left and where the guest went on. The grader
/// then boots the same guest itself and replays the log (<see cref="ReplayingEmulator"/>): each
/// trap must be the next one logged, and the logged effects are applied through the public
/// emulation API, under the CSRs' legal-value rules. What the grader judges is the guest of its own
/// run, compared with a reference run under the built-in emulator. A log that does not fit the run
/// stops that guest; a made-up log that does fit is an emulator like any other and is judged as
/// one. Nothing the child says is believed except as decisions to carry out.
/// </para>
/// <para>Test parameters: <c>guest</c> (one of <see cref="CsrGuests.Names"/>), <c>milliseconds</c> (50).</para>
/// </summary>
public sealed class CsrEmulationJudge : ExerciseJudge<EmulationProblem, EmulationLog>
{
    /// <summary>The class the exercise asks for.</summary>
    public const string ClassName = "CsrEmulator";

    public override string Name => "emulate-csr";

    protected override EmulationProblem CreateQuestion(TestParameters p, int seed)
    {
        string guest = p.Text("guest", "csr-instructions");
        if (!CsrGuests.Names.Contains(guest)) throw p.Bad("guest", $"'{guest}' is not one of {string.Join(", ", CsrGuests.Names)}");
        return new EmulationProblem
        {
            Guest = guest, Program = CsrGuests.Source(guest, seed), Vcpus = CsrGuests.VcpusOf(guest),
            Milliseconds = p.Number("milliseconds", 50, 5, 500),
        };
    }

    protected override EmulationLog Ask(System.Reflection.Assembly student, EmulationProblem question)
    {
        var type = student.GetTypes().FirstOrDefault(t => t.Name == ClassName && t.IsPublic)
            ?? throw new StudentContractException($"no public class {ClassName} was found; the exercise asks for 'public sealed class {ClassName} : IInstructionEmulator'");
        if (!typeof(IInstructionEmulator).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
            throw new StudentContractException($"{ClassName} must implement IInstructionEmulator and have a public constructor without parameters");
        return AskPolicy(Activator.CreateInstance(type)!, question);
    }

    public override Type? PolicyType => typeof(IInstructionEmulator);

    /// <summary>Runs the guests with the student's emulator <paramref name="policy"/> and writes down what it did.</summary>
    protected override EmulationLog AskPolicy(object policy, EmulationProblem question)
    {
        var emulator = policy as IInstructionEmulator ?? throw new StudentContractException($"{policy.GetType().Name} is not an IInstructionEmulator");
        var recorder = new RecordingEmulator(emulator);
        GuestRun.Run(question, recorder, vm => recorder.Vm = vm);
        return recorder.Log;
    }

    protected override Verdict Judge(EmulationProblem q, EmulationLog answer)
    {
        if (answer.Decisions is null) return Verdict.Wrong("no decisions");
        var reference = Reference(q);
        var replayer = new ReplayingEmulator(answer);
        var outcome = GuestRun.Run(q, replayer);
        string? difference = reference.Outcome.FirstDifference(outcome);
        if (difference is null)
            return Verdict.Correct(string.Create(CultureInfo.InvariantCulture,
                $"{answer.Decisions.Count} trapped instructions emulated; the guest ended as under the reference hypervisor ({reference.Outcome.StopReason})"));
        string why = replayer.Mismatch is { } mismatch ? $"the answer does not fit the guest's run: {mismatch}"
            : FirstWrongDecision(reference.Log, answer) ?? "";
        return Verdict.Wrong(string.Join("; ", new[] { why, difference }.Where(s => s.Length > 0)));
    }

    protected override string Expected(EmulationProblem q)
    {
        var (outcome, log) = Reference(q);
        return $"{log.Decisions.Count} traps; {outcome.StopReason}; output: {outcome.Console.Replace("\n", " ", StringComparison.Ordinal).Trim()}";
    }

    protected override string Describe(EmulationProblem q) => q.ToString();

    /// <summary>The guest's run under VirtLab's own emulator, with that emulator's decisions.</summary>
    private static (GuestOutcome Outcome, EmulationLog Log) Reference(EmulationProblem q)
    {
        var recorder = new RecordingEmulator(BuiltInInstructionEmulator.Instance);
        var outcome = GuestRun.Run(q, recorder, vm => recorder.Vm = vm);
        return (outcome, recorder.Log);
    }

    /// <summary>The first trap at which the answer's decision differs from the reference's, in a sentence.</summary>
    private static string? FirstWrongDecision(EmulationLog reference, EmulationLog answer)
    {
        for (int i = 0; i < reference.Decisions.Count && i < answer.Decisions.Count; i++)
        {
            var (r, a) = (reference.Decisions[i], answer.Decisions[i]);
            if (r.Pc != a.Pc || r.Instruction != a.Instruction) return null;   // the runs parted earlier, elsewhere
            string what = $"trap {i}, '{ReplayingEmulator.Text(a.Instruction, a.Pc)}' at pc 0x{a.Pc:x8} on vCPU {a.Vcpu}";
            if (a.Threw is not null) return $"{what}: the emulator threw {a.Threw}";
            if (r.Emulated != a.Emulated)
                return r.Emulated ? $"{what}: the emulator returned false (illegal instruction); the reference emulates it"
                    : $"{what}: the emulator emulated it; the reference returns false (an illegal instruction for the guest)";
            var regs = a.Registers.Select(w => w.Register).Union(r.Registers.Select(w => w.Register)).Order();
            foreach (int reg in regs)
            {
                uint? mine = a.Registers.FirstOrDefault(w => w.Register == reg)?.Value, theirs = r.Registers.FirstOrDefault(w => w.Register == reg)?.Value;
                if (mine != theirs)
                    return $"{what}: {VirtLab.Assembly.RegisterNames.AbiName(reg)} is {Show(mine)} after it, the reference leaves {Show(theirs)}";
            }
            if (a.Csrs.ChangesTo(r.Csrs) is [var c, ..])
                return $"{what}: {c.Name} is 0x{c.Before:x8} after it, the reference leaves 0x{c.After:x8}";
            if (r.NextPc != a.NextPc) return $"{what}: the guest goes on at 0x{a.NextPc:x8}, the reference at 0x{r.NextPc:x8}";
            if (r.Waited != a.Waited)
                return r.Waited ? $"{what}: the vCPU kept running; the reference puts it to sleep until an interrupt"
                    : $"{what}: the vCPU went to sleep; the reference goes on (an enabled interrupt is pending)";
        }
        return null;
    }

    private static string Show(uint? value) => value is { } v ? $"0x{v:x8}" : "unchanged";
}
