namespace VirtLab.Machine;

public sealed unsafe partial class Hart
{
    private const int CounterCycle = 1, CounterInstret = 2;
    private int _countersWritten;
    private uint _mstatus, _mie, _mtvec, _mscratch, _mepc, _mcause, _mtval, _mcounteren;

    /// <summary>mstatus as software reads it.</summary>
    public uint MStatus { get => _mstatus; set => _mstatus = LegalMStatus(value); }
    /// <summary>mie: which interrupts are enabled.</summary>
    public uint Mie { get => _mie; set => _mie = value & InterruptBits.All; }
    /// <summary>mtvec: trap vector base (bits 31:2) and mode (bits 1:0, 0 = direct, 1 = vectored).</summary>
    public uint MTvec { get => _mtvec; set => _mtvec = LegalMTvec(value); }
    /// <summary>mepc: where the last trap happened; mret returns here.</summary>
    public uint MEpc { get => _mepc; set => _mepc = value & ~3u; }
    /// <summary>mcause: why the last trap happened.</summary>
    public uint MCause { get => _mcause; set => _mcause = value; }
    /// <summary>mtval: the bad address or instruction of the last trap.</summary>
    public uint MTval { get => _mtval; set => _mtval = value; }
    /// <summary>mscratch: a word for the trap handler's own use.</summary>
    public uint MScratch { get => _mscratch; set => _mscratch = value; }
    /// <summary>mcounteren: which counters U-mode may read (bit 0 cycle, 1 time, 2 instret, 3..31 hpm).</summary>
    public uint MCounterEn { get => _mcounteren; set => _mcounteren = value; }

    private static uint LegalMStatus(uint value)
    {
        value &= MStatusBits.Writable;
        // MPP is WARL: only modes this hart has (M and U) are legal; anything else reads back as U.
        uint mpp = (value & MStatusBits.MPP) >> MStatusBits.MPPShift;
        if (mpp != (uint)Privilege.Machine) value &= ~MStatusBits.MPP;
        return value;
    }

    // mtvec mode is WARL: 0 (direct) and 1 (vectored) are legal, modes 2 and 3 are reserved.
    // An illegal mode leaves the old mode in place, as Spike does.
    private uint LegalMTvec(uint value) => (value & 3) <= 1 ? value : (value & ~3u) | (_mtvec & 3);

    /// <summary>The value of the <c>time</c> CSR: mtime from the CLINT, or 0 without one.</summary>
    private ulong Time => Clint?.MTime ?? 0;

    /// <summary>
    /// Reads CSR <paramref name="csr"/> as the current privilege mode would. Returns false when the
    /// access must raise illegal-instruction: the CSR does not exist, the mode is too low, or a U-mode
    /// counter read is not enabled in mcounteren.
    /// </summary>
    public bool TryReadCsr(uint csr, out uint value)
    {
        value = 0;
        if (Privilege < Csr.MinimumPrivilege(csr)) return false;
        switch (csr)
        {
            case Csr.MStatus: value = _mstatus; return true;
            case Csr.MStatusH: value = 0; return true;   // RV32: upper half of mstatus; SBE/MBE = 0 (little-endian)
            case Csr.Misa: value = MisaValue; return true;
            case Csr.Mie: value = _mie; return true;
            case Csr.Mip: value = Mip; return true;
            case Csr.MTvec: value = _mtvec; return true;
            case Csr.MCounterEn: value = _mcounteren; return true;
            case Csr.MScratch: value = _mscratch; return true;
            case Csr.MEpc: value = _mepc; return true;
            case Csr.MCause: value = _mcause; return true;
            case Csr.MTval: value = _mtval; return true;
            case Csr.MVendorId: case Csr.MArchId: case Csr.MImpId: case Csr.MConfigPtr: value = 0; return true;
            case Csr.MHartId: value = (uint)HartId; return true;
            case Csr.MCycle: value = (uint)Cycle; return true;
            case Csr.MCycleH: value = (uint)(Cycle >> 32); return true;
            case Csr.MInstret: value = (uint)Instret; return true;
            case Csr.MInstretH: value = (uint)(Instret >> 32); return true;
        }
        if (csr is >= Csr.MHpmCounter3 and <= Csr.MHpmCounter31 or >= Csr.MHpmCounter3H and <= Csr.MHpmCounter31H
            or >= Csr.MHpmEvent3 and <= Csr.MHpmEvent31)
            return true;   // no hardware performance events: these counters are hard-wired to zero
        if (csr is >= Csr.Cycle and <= Csr.HpmCounter31 or >= Csr.CycleH and <= Csr.HpmCounter31H)
        {
            // The unprivileged counters are read-only shadows; U-mode needs the matching mcounteren bit.
            int index = (int)(csr & 0x1F);
            if (Privilege == Privilege.User && (_mcounteren & (1u << index)) == 0) return false;
            bool high = csr >= Csr.CycleH;
            ulong counter = index switch { 0 => Cycle, 1 => Time, 2 => Instret, _ => 0 };
            value = high ? (uint)(counter >> 32) : (uint)counter;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Writes CSR <paramref name="csr"/>. Returns false when the write must raise illegal-instruction
    /// (read-only CSR, missing CSR, or privilege too low).
    /// </summary>
    public bool TryWriteCsr(uint csr, uint value)
    {
        if (Privilege < Csr.MinimumPrivilege(csr) || Csr.IsReadOnly(csr)) return false;
        switch (csr)
        {
            case Csr.MStatus: MStatus = value; return true;
            case Csr.MStatusH: return true;
            case Csr.Misa: return true;   // WARL: the extensions cannot be switched off; writes are ignored
            case Csr.Mie: Mie = value; return true;
            case Csr.Mip: return true;    // MSIP, MTIP and MEIP are read-only here: they come from the CLINT and the external line
            case Csr.MTvec: MTvec = value; return true;
            case Csr.MCounterEn: _mcounteren = value; return true;
            case Csr.MScratch: _mscratch = value; return true;
            case Csr.MEpc: MEpc = value; return true;
            case Csr.MCause: _mcause = value; return true;
            case Csr.MTval: _mtval = value; return true;
            // A counter written by an instruction holds the written value after it: the writing
            // instruction's own increment is suppressed (see the slow path).
            case Csr.MCycle: Cycle = (Cycle & 0xFFFF_FFFF_0000_0000) | value; _countersWritten |= CounterCycle; return true;
            case Csr.MCycleH: Cycle = (Cycle & 0xFFFF_FFFF) | ((ulong)value << 32); _countersWritten |= CounterCycle; return true;
            case Csr.MInstret: Instret = (Instret & 0xFFFF_FFFF_0000_0000) | value; _countersWritten |= CounterInstret; return true;
            case Csr.MInstretH: Instret = (Instret & 0xFFFF_FFFF) | ((ulong)value << 32); _countersWritten |= CounterInstret; return true;
        }
        return csr is >= Csr.MHpmCounter3 and <= Csr.MHpmCounter31 or >= Csr.MHpmCounter3H and <= Csr.MHpmCounter31H
            or >= Csr.MHpmEvent3 and <= Csr.MHpmEvent31;
    }
}
