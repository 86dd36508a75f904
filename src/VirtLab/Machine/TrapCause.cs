namespace VirtLab.Machine;

/// <summary>
/// Why a trap happened: the value written to <c>mcause</c>. Exceptions (synchronous, caused by an
/// instruction) have bit 31 clear; interrupts (asynchronous) have it set.
/// Numbers from the RISC-V Privileged Specification, table "Machine cause register (mcause) values".
/// </summary>
public enum TrapCause : uint
{
    InstructionAddressMisaligned = 0,
    InstructionAccessFault = 1,
    IllegalInstruction = 2,
    Breakpoint = 3,
    LoadAddressMisaligned = 4,
    LoadAccessFault = 5,
    StoreAddressMisaligned = 6,
    StoreAccessFault = 7,
    EnvironmentCallFromUMode = 8,
    EnvironmentCallFromSMode = 9,
    EnvironmentCallFromMMode = 11,

    MachineSoftwareInterrupt = InterruptBit | 3,
    MachineTimerInterrupt = InterruptBit | 7,
    MachineExternalInterrupt = InterruptBit | 11,

    /// <summary>Bit 31 of mcause marks an interrupt on RV32.</summary>
    InterruptBit = 0x8000_0000,
}

/// <summary>Small facts about trap causes that several parts of the machine need.</summary>
public static class TrapCauses
{
    /// <summary>True when the cause is an interrupt rather than an exception.</summary>
    public static bool IsInterrupt(this TrapCause cause) => ((uint)cause & (uint)TrapCause.InterruptBit) != 0;

    /// <summary>The cause number without the interrupt bit (the bit index in mip/mie for interrupts).</summary>
    public static uint Code(this TrapCause cause) => (uint)cause & ~(uint)TrapCause.InterruptBit;
}
