using VirtLab.Machine;

namespace VirtLab.Hypervisor;

/// <summary>
/// VirtLab's own emulation of the guest's CSR instructions, <c>mret</c> and <c>wfi</c>, against
/// the virtual CSRs: the default <see cref="IInstructionEmulator"/> of every VM. An emulator of
/// your own can hand the instructions it does not care about to <see cref="Instance"/>.
/// </summary>
public sealed class BuiltInInstructionEmulator : IInstructionEmulator
{
    /// <summary>The one instance (it keeps no state of its own).</summary>
    public static BuiltInInstructionEmulator Instance { get; } = new();

    private BuiltInInstructionEmulator() { }

    /// <inheritdoc/>
    public bool EmulateCsr(EmulationContext guest, CsrInstruction instruction)
    {
        uint source = instruction.IsImmediate ? (uint)instruction.Rs1 : guest[instruction.Rs1];
        if (!guest.TryReadCsr(instruction.Csr, out uint old)) return false;
        if (instruction.WritesCsr && !guest.TryWriteCsr(instruction.Csr, instruction.NewValue(old, source))) return false;
        guest[instruction.Rd] = old;
        return true;
    }

    /// <inheritdoc/>
    public void EmulateMret(EmulationContext guest)
    {
        var csrs = guest.Csrs;
        uint mie = (csrs.MStatus & MStatusBits.MPIE) != 0 ? MStatusBits.MIE : 0;
        csrs.MStatus = (csrs.MStatus & ~(MStatusBits.MIE | MStatusBits.MPP)) | mie | MStatusBits.MPIE;
        // The guest only has (virtual) M-mode: a return to virtual U-mode continues in the same, deprivileged, mode.
        guest.NextPc = csrs.MEpc;
    }

    /// <inheritdoc/>
    public void EmulateWfi(EmulationContext guest)
    {
        if (!guest.InterruptPendingAndEnabled) guest.WaitForInterrupt();
    }
}
