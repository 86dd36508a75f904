namespace VirtLab.Machine;

/// <summary>
/// Control and status register numbers the hart implements, named as in the RISC-V Privileged
/// Specification (version 1.12, chapter 2, "CSR Listing"). The top bits of a CSR number encode
/// who may touch it: bits 11:10 = 0b11 means read-only, bits 9:8 give the lowest privilege that may
/// access it. That encoding is why RISC-V meets Popek and Goldberg's condition: every
/// sensitive CSR access from a less privileged mode traps.
/// </summary>
public static class Csr
{
    // Unprivileged counters (read-only shadows; U-mode access gated by mcounteren).
    public const ushort Cycle = 0xC00, Time = 0xC01, Instret = 0xC02;
    public const ushort HpmCounter3 = 0xC03, HpmCounter31 = 0xC1F;
    public const ushort CycleH = 0xC80, TimeH = 0xC81, InstretH = 0xC82;
    public const ushort HpmCounter3H = 0xC83, HpmCounter31H = 0xC9F;

    // Machine information (read-only).
    public const ushort MVendorId = 0xF11, MArchId = 0xF12, MImpId = 0xF13, MHartId = 0xF14, MConfigPtr = 0xF15;

    // Machine trap setup.
    public const ushort MStatus = 0x300, Misa = 0x301, Mie = 0x304, MTvec = 0x305, MCounterEn = 0x306;
    public const ushort MStatusH = 0x310;

    // Machine trap handling.
    public const ushort MScratch = 0x340, MEpc = 0x341, MCause = 0x342, MTval = 0x343, Mip = 0x344;

    // Machine counters.
    public const ushort MCycle = 0xB00, MInstret = 0xB02, MHpmCounter3 = 0xB03, MHpmCounter31 = 0xB1F;
    public const ushort MCycleH = 0xB80, MInstretH = 0xB82, MHpmCounter3H = 0xB83, MHpmCounter31H = 0xB9F;
    public const ushort MHpmEvent3 = 0x323, MHpmEvent31 = 0x33F;

    /// <summary>Bits 11:10 of a CSR number equal to 0b11 mark the CSR read-only.</summary>
    public static bool IsReadOnly(uint csr) => (csr >> 10) == 0b11;

    /// <summary>Bits 9:8 of a CSR number give the lowest privilege allowed to access it.</summary>
    public static Privilege MinimumPrivilege(uint csr) => (Privilege)((csr >> 8) & 0b11);
}

/// <summary>Bit fields of <c>mstatus</c> that an M/U hart implements.</summary>
public static class MStatusBits
{
    /// <summary>Machine interrupt enable: interrupts are taken in M-mode only while this is set.</summary>
    public const uint MIE = 1u << 3;
    /// <summary>MIE as it was before the last trap; mret restores MIE from here.</summary>
    public const uint MPIE = 1u << 7;
    /// <summary>Privilege before the last trap (two bits); mret returns to it.</summary>
    public const uint MPP = 3u << 11;
    public const int MPPShift = 11;
    /// <summary>Modify privilege: loads and stores use MPP's privilege. Kept as state; without PMP or paging it changes nothing.</summary>
    public const uint MPRV = 1u << 17;
    /// <summary>Timeout wait: WFI in a less privileged mode raises illegal-instruction. A hypervisor sets it so that guest WFI exits.</summary>
    public const uint TW = 1u << 21;

    /// <summary>The bits software can change.</summary>
    public const uint Writable = MIE | MPIE | MPP | MPRV | TW;
}

/// <summary>Bits of <c>mip</c>/<c>mie</c>: one per interrupt source, at the index of its cause number.</summary>
public static class InterruptBits
{
    public const uint MachineSoftware = 1u << 3;
    public const uint MachineTimer = 1u << 7;
    public const uint MachineExternal = 1u << 11;
    public const uint All = MachineSoftware | MachineTimer | MachineExternal;
}
