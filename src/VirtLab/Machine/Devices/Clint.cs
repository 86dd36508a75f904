namespace VirtLab.Machine.Devices;

/// <summary>
/// The core-local interruptor (CLINT), laid out as on SiFive parts and QEMU's virt and spike
/// machines: a software-interrupt word per hart (<c>msip</c>, base + 4 × hart), a 64-bit timer
/// compare per hart (<c>mtimecmp</c>, base + 0x4000 + 8 × hart) and the shared 64-bit timer
/// (<c>mtime</c>, base + 0xBFF8). The machine timer interrupt of a hart is pending while
/// mtime ≥ its mtimecmp.
/// <para>
/// mtime is not wall-clock time: it is derived from the cycles the harts have executed, one
/// tick every <see cref="CyclesPerTick"/> cycles, so a run is exactly repeatable.
/// </para>
/// </summary>
public sealed class Clint : IMmioDevice
{
    /// <summary>Where QEMU's virt and spike machines put the CLINT.</summary>
    public const uint DefaultBase = 0x0200_0000;
    /// <summary>Register offsets from the base: msip (4 bytes per hart), mtimecmp (8 bytes per hart), mtime (8 bytes).</summary>
    public const uint MsipOffset = 0x0, MtimecmpOffset = 0x4000, MtimeOffset = 0xBFF8;

    /// <summary>
    /// Default cycles per mtime tick: a 100 MHz hart with the 10 MHz timebase that QEMU's virt and
    /// spike machines use.
    /// </summary>
    public const ulong DefaultCyclesPerTick = 10;

    private readonly bool[] _msip;
    private readonly ulong[] _mtimecmp;
    private readonly Func<ulong> _cycles;
    private ulong _lastTime;
    private long _timeOffset;

    /// <summary>Creates a CLINT for <paramref name="hartCount"/> harts whose time follows <paramref name="cycles"/>.</summary>
    public Clint(int hartCount, Func<ulong> cycles, ulong cyclesPerTick = DefaultCyclesPerTick)
    {
        if (cyclesPerTick == 0) throw new ArgumentOutOfRangeException(nameof(cyclesPerTick), "must be at least 1");
        _msip = new bool[hartCount];
        _mtimecmp = new ulong[hartCount];
        Array.Fill(_mtimecmp, ulong.MaxValue);   // no timer interrupt until software sets a deadline
        _cycles = cycles;
        CyclesPerTick = cyclesPerTick;
    }

    public string Name => "clint";
    public uint Size => 0x1_0000;

    /// <summary>Hart cycles per tick of mtime.</summary>
    public ulong CyclesPerTick { get; }

    /// <summary>The current value of mtime. It never goes backwards, even when harts' cycle counts differ slightly.</summary>
    public ulong MTime
    {
        get
        {
            ulong now = (ulong)((long)(_cycles() / CyclesPerTick) + _timeOffset);
            if (now > _lastTime) _lastTime = now;
            return _lastTime;
        }
    }

    /// <summary>The deadline of hart <paramref name="hart"/>'s timer.</summary>
    public ulong MTimeCmp(int hart) => _mtimecmp[hart];

    /// <summary>True while hart <paramref name="hart"/>'s msip bit is set.</summary>
    public bool SoftwarePending(int hart) => _msip[hart];

    /// <summary>True while mtime has reached hart <paramref name="hart"/>'s mtimecmp.</summary>
    public bool TimerPending(int hart) => MTime >= _mtimecmp[hart];

    /// <summary>Cycles from <paramref name="cycle"/> until hart <paramref name="hart"/>'s timer fires; 0 if it already has.</summary>
    public ulong CyclesUntilTimer(int hart, ulong cycle)
    {
        ulong deadline = _mtimecmp[hart];
        if (deadline == ulong.MaxValue) return ulong.MaxValue;
        ulong now = MTime;
        if (now >= deadline) return 0;
        ulong ticks = deadline - now;
        if (ticks > ulong.MaxValue / CyclesPerTick) return ulong.MaxValue;
        // Cycles to the next tick boundary, then whole ticks.
        ulong intoTick = cycle % CyclesPerTick;
        return ticks * CyclesPerTick - intoTick;
    }

    public bool Read(uint offset, int size, out uint value)
    {
        value = 0;
        if (offset < MtimecmpOffset)
        {
            int hart = (int)(offset / 4);
            if (hart >= _msip.Length || size != 4) return false;
            value = _msip[hart] ? 1u : 0u;
            return true;
        }
        if (offset >= MtimecmpOffset && offset < MtimecmpOffset + 8 * (uint)_mtimecmp.Length)
            return ReadHalf(_mtimecmp[(offset - MtimecmpOffset) / 8], offset, size, out value);
        if (offset is MtimeOffset or MtimeOffset + 4)
            return ReadHalf(MTime, offset, size, out value);
        return false;
    }

    public bool Write(uint offset, int size, uint value)
    {
        if (size != 4) return false;
        if (offset < MtimecmpOffset)
        {
            int hart = (int)(offset / 4);
            if (hart >= _msip.Length) return false;
            _msip[hart] = (value & 1) != 0;
            return true;
        }
        if (offset >= MtimecmpOffset && offset < MtimecmpOffset + 8 * (uint)_mtimecmp.Length)
        {
            int hart = (int)((offset - MtimecmpOffset) / 8);
            _mtimecmp[hart] = WriteHalf(_mtimecmp[hart], offset, value);
            return true;
        }
        if (offset is MtimeOffset or MtimeOffset + 4)
        {
            ulong wanted = WriteHalf(MTime, offset, value);
            _timeOffset += (long)(wanted - MTime);
            _lastTime = wanted;
            return true;
        }
        return false;
    }

    private static bool ReadHalf(ulong register, uint offset, int size, out uint value)
    {
        value = (offset & 4) == 0 ? (uint)register : (uint)(register >> 32);
        return size == 4;
    }

    private static ulong WriteHalf(ulong register, uint offset, uint value) =>
        (offset & 4) == 0 ? (register & 0xFFFF_FFFF_0000_0000) | value : (register & 0xFFFF_FFFF) | ((ulong)value << 32);
}
