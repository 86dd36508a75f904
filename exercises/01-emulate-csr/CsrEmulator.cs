using VirtLab.Hypervisor;
using VirtLab.Machine;

/// <summary>
/// Exercise 1, emulate the privileged instructions: the hypervisor's side of trap-and-emulate.
/// The guest believes it runs in M-mode but runs in U-mode, so every CSR instruction, <c>mret</c>
/// and <c>wfi</c> it executes traps, and the vCPU calls this class to carry it out against the
/// guest's virtual CSRs. Read README.md first. Do not use <c>BuiltInInstructionEmulator</c>.
/// </summary>
public sealed class CsrEmulator : IInstructionEmulator
{
    /// <summary>
    /// csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci: read the CSR's old value into rd and write the
    /// new one. Return false, changing nothing, if the guest has no such CSR or the instruction would
    /// write a read-only one.
    /// </summary>
    public bool EmulateCsr(EmulationContext guest, CsrInstruction instruction)
    {
        // BEGIN SOLUTION
        // The source operand: a register, or for the immediate forms the 5-bit zero-extended immediate (in the rs1 field).
        uint source = instruction.IsImmediate ? (uint)instruction.Rs1 : guest[instruction.Rs1];
        if (!guest.TryReadCsr(instruction.Csr, out uint old)) return false;
        // csrrs/csrrc with x0 (or an immediate of 0) as the source do not write: reading a read-only CSR that way is legal.
        bool writes = instruction.Operation == CsrOperation.ReadWrite || instruction.Rs1 != 0;
        if (writes)
        {
            uint value = instruction.Operation switch
            {
                CsrOperation.ReadWrite => source,
                CsrOperation.ReadSet => old | source,
                _ => old & ~source,
            };
            if (!guest.TryWriteCsr(instruction.Csr, value)) return false;
        }
        guest[instruction.Rd] = old;   // x0 ignores the write
        return true;
        // END SOLUTION
    }

    /// <summary>mret: MIE takes MPIE's value, MPIE becomes 1, MPP becomes U, and the guest resumes at mepc.</summary>
    public void EmulateMret(EmulationContext guest)
    {
        // BEGIN SOLUTION
        var csrs = guest.Csrs;
        uint mie = (csrs.MStatus & MStatusBits.MPIE) != 0 ? MStatusBits.MIE : 0;
        csrs.MStatus = (csrs.MStatus & ~(MStatusBits.MIE | MStatusBits.MPP)) | mie | MStatusBits.MPIE;
        guest.NextPc = csrs.MEpc;
        // END SOLUTION
    }

    /// <summary>wfi: unless an interrupt is both pending and enabled in mie, the vCPU sleeps until one is.</summary>
    public void EmulateWfi(EmulationContext guest)
    {
        // BEGIN SOLUTION
        // mstatus.MIE does not matter here: a pending, enabled interrupt ends a wfi even when interrupts are masked.
        if ((guest.PendingInterrupts & guest.Csrs.Mie) == 0) guest.WaitForInterrupt();
        // END SOLUTION
    }
}
