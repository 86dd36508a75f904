using VirtLab.Hypervisor;
using VirtLab.Machine;
using VirtLab.Scheduling;

namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// Runs another emulator (the student's in the child; the built-in one for the grader's reference
/// run) and writes down each of its decisions as an <see cref="EmulationDecision"/>.
/// </summary>
internal sealed class RecordingEmulator(IInstructionEmulator inner) : IInstructionEmulator
{
    private readonly List<EmulationDecision> _decisions = [];

    /// <summary>The VM being run (set once it exists): whether a <c>wfi</c> put its vCPU to sleep is read from it.</summary>
    public VirtualMachine? Vm { get; set; }

    /// <summary>What was recorded so far.</summary>
    public EmulationLog Log => new([.. _decisions], Truncated);

    private bool Truncated { get; set; }

    public bool EmulateCsr(EmulationContext guest, CsrInstruction instruction) => Record(guest, () => inner.EmulateCsr(guest, instruction));

    public void EmulateMret(EmulationContext guest) => Record(guest, () => { inner.EmulateMret(guest); return true; });

    public void EmulateWfi(EmulationContext guest) => Record(guest, () => { inner.EmulateWfi(guest); return true; });

    private bool Record(EmulationContext guest, Func<bool> emulate)
    {
        var before = new uint[32];
        for (int r = 1; r < 32; r++) before[r] = guest[r];
        bool emulated = false;
        string? threw = null;
        try { emulated = emulate(); }
        catch (Exception e)
        {
            threw = $"{e.GetType().FullName}: {e.Message}";
            throw;
        }
        finally
        {
            if (_decisions.Count < EmulationLog.MaxDecisions)
            {
                var writes = new List<RegisterWrite>();
                for (int r = 1; r < 32; r++)
                    if (guest[r] != before[r]) writes.Add(new RegisterWrite(r, guest[r]));
                bool waited = Vm is { } vm && vm.Vcpus[guest.VcpuIndex].State == RunState.Waiting;
                _decisions.Add(new EmulationDecision(guest.VcpuIndex, guest.Pc, guest.Instruction, emulated, guest.NextPc, waited,
                    writes, Values(guest.Csrs, guest.PendingInterrupts), threw));
            }
            else Truncated = true;
        }
        return emulated;
    }

    /// <summary>The virtual CSRs' values now.</summary>
    internal static VirtualCsrValues Values(VirtualCsrs c, uint mip) =>
        new(c.MStatus, c.Mie, mip, c.MTvec, c.MEpc, c.MCause, c.MTval, c.MScratch, c.MCounterEn);
}
