using VirtLab.Machine;
using VirtLab.Machine.Devices;

namespace VirtLab.Hypervisor;

/// <summary>
/// A VM's virtual CLINT: the same register layout as the real one (msip, mtimecmp per vCPU, mtime),
/// but its time is the host's simulated time, so a guest sees wall-clock time pass while it is
/// descheduled, as a real VM does. Nothing here raises an interrupt on a hart: the hypervisor
/// reads <see cref="TimerPending"/> and injects a virtual interrupt.
/// </summary>
public sealed class VirtualClint : IMmioDevice
{
    private readonly bool[] _msip;
    private readonly ulong[] _mtimecmp;
    private readonly Func<ulong> _now;

    /// <param name="vcpus">Number of vCPUs.</param>
    /// <param name="now">The host's current time in cycles.</param>
    /// <param name="cyclesPerTick">Host cycles per mtime tick.</param>
    public VirtualClint(int vcpus, Func<ulong> now, ulong cyclesPerTick)
    {
        _msip = new bool[vcpus];
        _mtimecmp = new ulong[vcpus];
        Array.Fill(_mtimecmp, ulong.MaxValue);
        _now = now;
        CyclesPerTick = cyclesPerTick;
    }

    public string Name => "vclint";
    public uint Size => 0x1_0000;
    public ulong CyclesPerTick { get; }

    /// <summary>mtime: host time in ticks.</summary>
    public ulong MTime => _now() / CyclesPerTick;

    /// <summary>Back to the power-on state (no software interrupt, no deadline), for a VM reset. mtime is the host's and goes on.</summary>
    internal void Reset()
    {
        Array.Clear(_msip);
        Array.Fill(_mtimecmp, ulong.MaxValue);
    }

    public ulong MTimeCmp(int vcpu) => _mtimecmp[vcpu];
    public void SetMTimeCmp(int vcpu, ulong value) => _mtimecmp[vcpu] = value;
    public bool SoftwarePending(int vcpu) => _msip[vcpu];
    public bool TimerPending(int vcpu) => MTime >= _mtimecmp[vcpu];

    /// <summary>The host cycle at which vCPU <paramref name="vcpu"/>'s timer fires, or <see cref="ulong.MaxValue"/>.</summary>
    public ulong DeadlineCycle(int vcpu)
    {
        ulong cmp = _mtimecmp[vcpu];
        return cmp >= ulong.MaxValue / CyclesPerTick ? ulong.MaxValue : cmp * CyclesPerTick;
    }

    public bool Read(uint offset, int size, out uint value)
    {
        value = 0;
        if (size != 4) return false;
        if (offset < Clint.MtimecmpOffset)
        {
            int v = (int)((offset - Clint.MsipOffset) / 4);
            if (v >= _msip.Length) return false;
            value = _msip[v] ? 1u : 0;
            return true;
        }
        if (offset < Clint.MtimecmpOffset + 8 * (uint)_mtimecmp.Length)
        {
            ulong r = _mtimecmp[(offset - Clint.MtimecmpOffset) / 8];
            value = (offset & 4) == 0 ? (uint)r : (uint)(r >> 32);
            return true;
        }
        if (offset is Clint.MtimeOffset or Clint.MtimeOffset + 4)
        {
            ulong t = MTime;
            value = offset == Clint.MtimeOffset ? (uint)t : (uint)(t >> 32);
            return true;
        }
        return false;
    }

    public bool Write(uint offset, int size, uint value)
    {
        if (size != 4) return false;
        if (offset < Clint.MtimecmpOffset)
        {
            int v = (int)((offset - Clint.MsipOffset) / 4);
            if (v >= _msip.Length) return false;
            _msip[v] = (value & 1) != 0;
            return true;
        }
        if (offset < Clint.MtimecmpOffset + 8 * (uint)_mtimecmp.Length)
        {
            int v = (int)((offset - Clint.MtimecmpOffset) / 8);
            ulong r = _mtimecmp[v];
            _mtimecmp[v] = (offset & 4) == 0 ? (r & 0xFFFF_FFFF_0000_0000) | value : (r & 0xFFFF_FFFF) | ((ulong)value << 32);
            return true;
        }
        return offset is Clint.MtimeOffset or Clint.MtimeOffset + 4;   // the guest may not move the host's clock: writes are ignored
    }
}

/// <summary>
/// A minimal virtual block-like device: registers ADDR (0), LEN (4), CMD (8) and DOORBELL (12).
/// Ringing the doorbell completes the request at once. The paravirtual path hands the same request
/// over in one hypercall (<see cref="Hypercalls.Notify"/>).
/// </summary>
public sealed class VirtualBlockDevice : IMmioDevice
{
    public const uint DefaultBase = 0x1000_1000;
    private uint _addr, _len, _cmd;

    public string Name => "vblk";
    public uint Size => 0x1000;

    /// <summary>Requests completed.</summary>
    public long Requests { get; private set; }

    /// <summary>Bytes "transferred".</summary>
    public long Bytes { get; private set; }

    public bool Read(uint offset, int size, out uint value)
    {
        value = offset switch { 0 => _addr, 4 => _len, 8 => _cmd, 12 => 0, 16 => (uint)Requests, _ => 0 };
        return size == 4 && offset <= 16;
    }

    public bool Write(uint offset, int size, uint value)
    {
        if (size != 4) return false;
        switch (offset)
        {
            case 0: _addr = value; return true;
            case 4: _len = value; return true;
            case 8: _cmd = value; return true;
            case 12: Submit(_addr, _len, _cmd); return true;
            default: return false;
        }
    }

    /// <summary>Completes one request (used by the doorbell and by the paravirtual notify).</summary>
    public void Submit(uint address, uint length, uint command)
    {
        _ = address; _ = command;
        Requests++;
        Bytes += length;
    }
}

/// <summary>
/// Puts a device model behind a VM exit: the model completes every access the guest makes to the
/// window (a load gets its value during the instruction), and the access is recorded as an exit of
/// the VM (<see cref="VmExitReason.Mmio"/>, or <see cref="VmExitReason.BalloonDoorbell"/> for a
/// store to <paramref name="doorbell"/>), which ends the vCPU's run so the exit switch sees it at
/// once (a write to mtimecmp, say, can change when the next interrupt is due).
/// <paramref name="inHostKernel"/>: on a Type 2 host this device is emulated in the host kernel (the
/// interrupt controller and timer, as KVM's in-kernel irqchip does), not in the hypervisor's
/// user-space process, so its exits do not pay the trip up to that process.
/// </summary>
internal sealed class MmioExitDevice(IMmioDevice inner, VirtualMachine vm, uint baseAddress, bool inHostKernel = false, uint? doorbell = null) : IMmioDevice
{
    public string Name => inner.Name;
    public uint Size => inner.Size;
    public IMmioDevice Inner => inner;

    public bool Read(uint offset, int size, out uint value)
    {
        bool done = inner.Read(offset, size, out value);
        vm.RecordExit(Exit(VmExitReason.Mmio, offset, size, MemoryAccess.Read, value));
        return done;
    }

    public bool Write(uint offset, int size, uint value)
    {
        bool done = inner.Write(offset, size, value);
        var reason = offset == doorbell ? VmExitReason.BalloonDoorbell : VmExitReason.Mmio;
        vm.RecordExit(Exit(reason, offset, size, MemoryAccess.Write, value));
        return done;
    }

    private VmExit Exit(VmExitReason reason, uint offset, int size, MemoryAccess access, uint value) => new()
    {
        Reason = reason, Address = baseAddress + offset, Size = size, Access = access, Value = value,
        Device = inner.Name, DeviceInHostKernel = inHostKernel,
    };
}
