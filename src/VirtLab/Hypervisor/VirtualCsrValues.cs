using VirtLab.Assembly;
using VirtLab.Machine;

namespace VirtLab.Hypervisor;

/// <summary>
/// The values of a vCPU's virtual machine-mode CSRs at one moment (see <see cref="VirtualCsrs"/>),
/// mip included: what an <see cref="ExitTrace"/> keeps from before and after each exit's emulation.
/// </summary>
public readonly record struct VirtualCsrValues(
    uint MStatus, uint Mie, uint Mip, uint MTvec, uint MEpc, uint MCause, uint MTval, uint MScratch, uint MCounterEn)
{
    /// <summary>The values of <paramref name="vcpu"/>'s virtual CSRs now.</summary>
    public static VirtualCsrValues Of(Vcpu vcpu)
    {
        var c = vcpu.Csrs;
        return new(c.MStatus, c.Mie, vcpu.VirtualMip, c.MTvec, c.MEpc, c.MCause, c.MTval, c.MScratch, c.MCounterEn);
    }

    /// <summary>The CSRs whose values differ in <paramref name="after"/>, in the order listed above.</summary>
    public IReadOnlyList<CsrChange> ChangesTo(VirtualCsrValues after)
    {
        var changes = new List<CsrChange>();
        void Compare(ushort csr, uint before, uint now) { if (before != now) changes.Add(new CsrChange(CsrNames.NameOrNumber(csr), before, now)); }
        Compare(Csr.MStatus, MStatus, after.MStatus);
        Compare(Csr.Mie, Mie, after.Mie);
        Compare(Csr.Mip, Mip, after.Mip);
        Compare(Csr.MTvec, MTvec, after.MTvec);
        Compare(Csr.MEpc, MEpc, after.MEpc);
        Compare(Csr.MCause, MCause, after.MCause);
        Compare(Csr.MTval, MTval, after.MTval);
        Compare(Csr.MScratch, MScratch, after.MScratch);
        Compare(Csr.MCounterEn, MCounterEn, after.MCounterEn);
        return changes;
    }
}
