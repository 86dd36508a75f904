using VirtLab.Hypervisor;

namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// What an instruction emulator did with one trapped instruction, as the child recorded it: the
/// registers it wrote, the virtual CSRs it left, where the guest goes on, whether the vCPU went to
/// sleep (<c>wfi</c>), and whether the emulation succeeded, said "illegal" or threw. The grader
/// replays these in its own run of the guest (see <see cref="CsrEmulationJudge"/>).
/// </summary>
/// <param name="Vcpu">The vCPU that trapped.</param>
/// <param name="Pc">The guest address of the instruction.</param>
/// <param name="Instruction">The instruction word.</param>
/// <param name="Emulated">What <c>EmulateCsr</c> returned (true for <c>mret</c> and <c>wfi</c>): false raises illegal-instruction in the guest.</param>
/// <param name="NextPc">Where the emulator sent the guest.</param>
/// <param name="Waited">True if the emulator put the vCPU to sleep until an interrupt.</param>
/// <param name="Registers">The guest registers whose values the emulation changed, with their new values.</param>
/// <param name="Csrs">The virtual CSRs after the emulation (mip is the hardware's: it is not replayed).</param>
/// <param name="Threw">The exception the emulator threw, as "Type: message", or null.</param>
public sealed record EmulationDecision(
    int Vcpu, uint Pc, uint Instruction, bool Emulated, uint NextPc, bool Waited,
    IReadOnlyList<RegisterWrite> Registers, VirtualCsrValues Csrs, string? Threw);
