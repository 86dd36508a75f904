using VirtLab.Hypervisor;
using VirtLab.Machine;

// Exercise 1, a submission that hands every trapped instruction to VirtLab's own emulator.
public sealed class CsrEmulator : IInstructionEmulator
{
    public bool EmulateCsr(EmulationContext guest, CsrInstruction instruction) => BuiltInInstructionEmulator.Instance.EmulateCsr(guest, instruction);
    public void EmulateMret(EmulationContext guest) => BuiltInInstructionEmulator.Instance.EmulateMret(guest);
    public void EmulateWfi(EmulationContext guest) => BuiltInInstructionEmulator.Instance.EmulateWfi(guest);
}
