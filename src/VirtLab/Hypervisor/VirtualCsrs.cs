using VirtLab.Machine;

namespace VirtLab.Hypervisor;

/// <summary>
/// The machine-mode CSRs a guest believes it has, one set per vCPU. The hypervisor emulates every
/// guest CSR instruction against these, with the same legal-value (WARL) rules the real hart applies.
/// </summary>
public sealed class VirtualCsrs
{
    private uint _mstatus, _mie, _mtvec, _mepc;

    /// <summary>Virtual mstatus: MIE, MPIE, MPP, MPRV, TW (MPP reads back M or U).</summary>
    public uint MStatus
    {
        get => _mstatus;
        set
        {
            value &= MStatusBits.Writable;
            if (((value & MStatusBits.MPP) >> MStatusBits.MPPShift) != (uint)Privilege.Machine) value &= ~MStatusBits.MPP;
            _mstatus = value;
        }
    }
    public uint Mie { get => _mie; set => _mie = value & InterruptBits.All; }
    public uint MTvec { get => _mtvec; set => _mtvec = (value & 3) <= 1 ? value : (value & ~3u) | (_mtvec & 3); }
    public uint MEpc { get => _mepc; set => _mepc = value & ~3u; }
    public uint MCause { get; set; }
    public uint MTval { get; set; }
    public uint MScratch { get; set; }
    public uint MCounterEn { get; set; }

    /// <summary>Back to the power-on values (all zero), for a VM reset.</summary>
    internal void Reset()
    {
        _mstatus = _mie = _mtvec = _mepc = 0;
        MCause = MTval = MScratch = MCounterEn = 0;
    }

    /// <summary>Reads CSR <paramref name="csr"/> as the guest's (virtual) M-mode sees it; false if no such CSR.</summary>
    public bool TryRead(uint csr, Vcpu vcpu, out uint value)
    {
        value = 0;
        switch (csr)
        {
            case Csr.MStatus: value = MStatus; return true;
            case Csr.MStatusH: return true;
            case Csr.Misa: value = Hart.MisaValue; return true;
            case Csr.Mie: value = Mie; return true;
            case Csr.Mip: value = vcpu.VirtualMip; return true;
            case Csr.MTvec: value = MTvec; return true;
            case Csr.MCounterEn: value = MCounterEn; return true;
            case Csr.MScratch: value = MScratch; return true;
            case Csr.MEpc: value = MEpc; return true;
            case Csr.MCause: value = MCause; return true;
            case Csr.MTval: value = MTval; return true;
            case Csr.MVendorId: case Csr.MArchId: case Csr.MImpId: case Csr.MConfigPtr: return true;
            case Csr.MHartId: value = (uint)vcpu.Index; return true;
        }
        if (csr is >= Csr.MHpmCounter3 and <= Csr.MHpmCounter31 or >= Csr.MHpmCounter3H and <= Csr.MHpmCounter31H
            or >= Csr.MHpmEvent3 and <= Csr.MHpmEvent31)
            return true;
        // Counters: the guest's own instructions and cycles, and the VM's (virtualized) time.
        if (csr is Csr.MCycle or Csr.MCycleH or Csr.MInstret or Csr.MInstretH
            or >= Csr.Cycle and <= Csr.HpmCounter31 or >= Csr.CycleH and <= Csr.HpmCounter31H)
        {
            int index = (int)(csr & 0x1F);
            bool high = (csr & 0x80) != 0;
            ulong counter = index switch
            {
                0 => vcpu.Hart.Cycle + vcpu.Exits.TotalCycles,
                1 => vcpu.Vm.Clint.MTime,
                2 => vcpu.Instructions,
                _ => 0,
            };
            value = high ? (uint)(counter >> 32) : (uint)counter;
            return true;
        }
        return false;
    }

    /// <summary>Writes CSR <paramref name="csr"/>; false if it does not exist or is read-only.</summary>
    public bool TryWrite(uint csr, uint value)
    {
        if (Csr.IsReadOnly(csr)) return false;
        switch (csr)
        {
            case Csr.MStatus: MStatus = value; return true;
            case Csr.MStatusH: case Csr.Misa: case Csr.Mip: return true;   // WARL / read-only bits: ignored
            case Csr.Mie: Mie = value; return true;
            case Csr.MTvec: MTvec = value; return true;
            case Csr.MCounterEn: MCounterEn = value; return true;
            case Csr.MScratch: MScratch = value; return true;
            case Csr.MEpc: MEpc = value; return true;
            case Csr.MCause: MCause = value; return true;
            case Csr.MTval: MTval = value; return true;
            case Csr.MCycle: case Csr.MCycleH: case Csr.MInstret: case Csr.MInstretH: return true;   // virtual counters are not writable; ignored
        }
        return csr is >= Csr.MHpmCounter3 and <= Csr.MHpmCounter31 or >= Csr.MHpmCounter3H and <= Csr.MHpmCounter31H
            or >= Csr.MHpmEvent3 and <= Csr.MHpmEvent31;
    }
}
