using VirtLab.Machine;

namespace VirtLab.Hypervisor;

/// <summary>
/// The hypervisor's emulation of the sensitive instructions a guest traps on: the six CSR
/// instructions, <c>mret</c> and <c>wfi</c>. The guest runs in U-mode but believes it runs in
/// M-mode, so each of these traps, and the vCPU hands it to its VM's emulator
/// (<see cref="VmConfig.InstructionEmulator"/>), which carries it out against the guest's virtual
/// CSRs (<see cref="EmulationContext.Csrs"/>) as the hardware would have against the real ones.
/// <para>
/// The default is <see cref="BuiltInInstructionEmulator"/>. Code outside VirtLab can write its own:
/// implement this interface and pass it in the VM's configuration. The vCPU does the rest: it
/// decodes the instruction, moves the guest on to <see cref="EmulationContext.NextPc"/>, counts and
/// charges the exit. An emulator that throws, or that sends the guest to a pc that is not a multiple
/// of 4, stops its VM with a reason naming the emulator (<see cref="VirtualMachine.StopReason"/>);
/// the host and the other VMs carry on.
/// </para>
/// </summary>
public interface IInstructionEmulator
{
    /// <summary>
    /// Emulates <c>csrrw</c>, <c>csrrs</c>, <c>csrrc</c> or their immediate forms: read the old value
    /// of the CSR into rd, and write the new one, following the spec's rules for rd = x0 and for a
    /// source of x0 or 0. Returns false if the guest's virtual M-mode has no such CSR, or the instruction
    /// would write a read-only one: the vCPU then raises an illegal-instruction exception in the guest,
    /// as the hardware would. Returning false must leave the guest's state as it was.
    /// </summary>
    bool EmulateCsr(EmulationContext guest, CsrInstruction instruction);

    /// <summary>
    /// Emulates <c>mret</c>: the return from the guest's trap handler. MIE takes MPIE's value, MPIE
    /// becomes 1, MPP becomes U, and the guest resumes at mepc (set <see cref="EmulationContext.NextPc"/>).
    /// </summary>
    void EmulateMret(EmulationContext guest);

    /// <summary>
    /// Emulates <c>wfi</c>: if no enabled interrupt is pending, the vCPU gives up its hardware thread
    /// until one is (<see cref="EmulationContext.WaitForInterrupt"/>). Either way the guest goes on
    /// after the wfi.
    /// </summary>
    void EmulateWfi(EmulationContext guest);
}
