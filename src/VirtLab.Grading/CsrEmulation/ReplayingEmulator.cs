using VirtLab.Hypervisor;
using VirtLab.Machine;

namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// The grader's side of exercise 1: an emulator that decides nothing itself but carries out, in
/// order, the decisions of an <see cref="EmulationLog"/> the child sent. Each trap must be the one
/// the log expects next (same vCPU, pc and instruction); the registers and CSRs are written
/// through the same public API a real emulator uses, so the CSRs' legal-value rules still apply.
/// A log that does not fit the run stops the guest, and <see cref="Mismatch"/> says where.
/// </summary>
internal sealed class ReplayingEmulator(EmulationLog log) : IInstructionEmulator
{
    private int _next;

    /// <summary>Decisions replayed so far.</summary>
    public int Replayed => _next;

    /// <summary>Why the log did not fit the guest's run, or null.</summary>
    public string? Mismatch { get; private set; }

    public bool EmulateCsr(EmulationContext guest, CsrInstruction instruction) => Replay(guest);

    public void EmulateMret(EmulationContext guest) => Replay(guest);

    public void EmulateWfi(EmulationContext guest) => Replay(guest);

    private bool Replay(EmulationContext guest)
    {
        if (_next >= log.Decisions.Count)
            Fail(log.Truncated
                ? $"the guest trapped more than {EmulationLog.MaxDecisions} times (a guest of this exercise traps a few hundred times)"
                : $"the answer records {log.Decisions.Count} traps, but the guest trapped again at pc 0x{guest.Pc:x8} ({Text(guest.Instruction, guest.Pc)})");
        var d = log.Decisions[_next];
        if (d.Vcpu != guest.VcpuIndex || d.Pc != guest.Pc || d.Instruction != guest.Instruction)
            Fail($"trap {_next} of the answer is vCPU {d.Vcpu} at pc 0x{d.Pc:x8}, but the guest trapped on vCPU {guest.VcpuIndex} at pc 0x{guest.Pc:x8} ({Text(guest.Instruction, guest.Pc)})");
        _next++;
        foreach (var w in d.Registers ?? [])
        {
            if (w is null || w.Register is < 1 or > 31) Fail($"trap {_next - 1} of the answer writes register {w?.Register}");
            guest[w!.Register] = w.Value;
        }
        var c = guest.Csrs;
        (c.MStatus, c.Mie, c.MTvec, c.MEpc, c.MCause, c.MTval, c.MScratch, c.MCounterEn) =
            (d.Csrs.MStatus, d.Csrs.Mie, d.Csrs.MTvec, d.Csrs.MEpc, d.Csrs.MCause, d.Csrs.MTval, d.Csrs.MScratch, d.Csrs.MCounterEn);
        guest.NextPc = d.NextPc;
        if (d.Waited) guest.WaitForInterrupt();
        if (d.Threw is not null) throw new InvalidOperationException($"the student's emulator threw {d.Threw}");
        return d.Emulated;
    }

    private void Fail(string why)
    {
        Mismatch ??= why;
        throw new InvalidOperationException(why);
    }

    internal static string Text(uint word, uint pc) => VirtLab.Assembly.Disassembler.Disassemble(word, pc);
}
