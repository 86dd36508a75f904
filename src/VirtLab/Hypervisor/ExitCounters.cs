namespace VirtLab.Hypervisor;

/// <summary>Exits counted by reason, and the cycles charged for them.</summary>
public sealed class ExitCounters
{
    /// <summary>How many reasons there are.</summary>
    public static readonly int Count = Enum.GetValues<VmExitReason>().Length;
    private readonly long[] _counts = new long[Count];
    private readonly ulong[] _cycles = new ulong[Count];

    /// <summary>Exits of exactly <paramref name="reason"/> (not its finer cases: see <see cref="InFamily"/>).</summary>
    public long this[VmExitReason reason] => _counts[(int)reason];

    /// <summary>Cycles charged for exits of <paramref name="reason"/>.</summary>
    public ulong CyclesOf(VmExitReason reason) => _cycles[(int)reason];

    /// <summary>All exits.</summary>
    public long Total => _counts.Sum();

    /// <summary>All cycles charged for exits.</summary>
    public ulong TotalCycles { get { ulong s = 0; foreach (var c in _cycles) s += c; return s; } }

    /// <summary>
    /// The broader reason <paramref name="reason"/> is a finer case of, or the reason itself:
    /// <see cref="VmExitReason.TouchFault"/> and <see cref="VmExitReason.SwapIn"/> belong to
    /// <see cref="VmExitReason.GuestPageFault"/>, <see cref="VmExitReason.BalloonDoorbell"/> to
    /// <see cref="VmExitReason.Mmio"/>.
    /// </summary>
    public static VmExitReason FamilyOf(VmExitReason reason) => reason switch
    {
        VmExitReason.TouchFault or VmExitReason.SwapIn => VmExitReason.GuestPageFault,
        VmExitReason.BalloonDoorbell => VmExitReason.Mmio,
        _ => reason,
    };

    /// <summary>Exits of <paramref name="family"/> and of its finer cases (see <see cref="FamilyOf"/>): all page faults, or all MMIO exits.</summary>
    public long InFamily(VmExitReason family)
    {
        long n = 0;
        for (int i = 0; i < Count; i++) if (FamilyOf((VmExitReason)i) == family) n += _counts[i];
        return n;
    }

    /// <summary>Cycles charged for exits of <paramref name="family"/> and of its finer cases.</summary>
    public ulong CyclesInFamily(VmExitReason family)
    {
        ulong n = 0;
        for (int i = 0; i < Count; i++) if (FamilyOf((VmExitReason)i) == family) n += _cycles[i];
        return n;
    }

    internal void Add(VmExitReason reason, ulong cycles) { _counts[(int)reason]++; _cycles[(int)reason] += cycles; }

    internal void AddFrom(ExitCounters other)
    {
        for (int i = 0; i < Count; i++) { _counts[i] += other._counts[i]; _cycles[i] += other._cycles[i]; }
    }
}
