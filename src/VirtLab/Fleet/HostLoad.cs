namespace VirtLab.Fleet;

/// <summary>
/// What a policy sees of one host when it decides: the host's type, the CPU and RAM its VMs take,
/// and its utilization over the last intervals. A snapshot made for that one call: keep the numbers
/// you need, not the value (its <see cref="History"/> is a buffer the simulator reuses).
/// <para>
/// During the initial placement <see cref="Mips"/> counts each VM's whole allocation (nothing has
/// run yet); during dynamic consolidation it counts what the VMs ask for in the current interval.
/// </para>
/// </summary>
public readonly struct HostLoad
{
    internal HostLoad(int host, HostType type, double mips, double ramMib, int vmCount, ArraySegment<double> history,
        double longestMigrationSeconds, int interval, double intervalSeconds, double powerWatts)
    {
        _powerWatts = powerWatts;
        Host = host;
        Type = type;
        Mips = mips;
        RamMib = ramMib;
        VmCount = vmCount;
        History = history;
        LongestMigrationSeconds = longestMigrationSeconds;
        Interval = interval;
        IntervalSeconds = intervalSeconds;
    }

    /// <summary>The host's index in <see cref="DataCenter.Hosts"/>.</summary>
    public int Host { get; }

    /// <summary>The kind of server: cores, MIPS, RAM, power model.</summary>
    public HostType Type { get; }

    /// <summary>MIPS its VMs take (demand now; allocations at the initial placement).</summary>
    public double Mips { get; }

    /// <summary>RAM its VMs hold, in MiB.</summary>
    public double RamMib { get; }

    /// <summary>How many VMs it holds. A host with none is switched off.</summary>
    public int VmCount { get; }

    /// <summary>
    /// Utilization in the last intervals, oldest first; the last entry is the current interval. Each
    /// entry is what the host's present VMs asked for then, over the host's capacity (so it can
    /// exceed 1). At most the detector's <see cref="IOverloadDetector.HistoryLength"/> entries, fewer
    /// early in the run. Empty during the initial placement.
    /// </summary>
    public ArraySegment<double> History { get; }

    /// <summary>Seconds the slowest migration of one of its VMs would take (the local-regression detectors predict that far ahead).</summary>
    public double LongestMigrationSeconds { get; }

    /// <summary>The interval being decided (0-based).</summary>
    public int Interval { get; }

    /// <summary>Seconds per interval.</summary>
    public double IntervalSeconds { get; }

    /// <summary>Mips over capacity: 0 for an empty host, above 1 when its VMs ask for more than it has.</summary>
    public double Utilization => Mips / Type.CapacityMips;

    /// <summary>MIPS left before the host is full (negative when it is over-committed).</summary>
    public double FreeMips => Type.CapacityMips - Mips;

    /// <summary>RAM left, in MiB.</summary>
    public double FreeRamMib => Type.RamMib - RamMib;

    /// <summary>True when the host holds VMs and so is switched on.</summary>
    public bool IsOn => VmCount > 0;

    private readonly double _powerWatts;   // NaN: not known yet, computed when asked

    /// <summary>Watts now: the power model at its utilization, or 0 when it is switched off.</summary>
    public double PowerWatts => !double.IsNaN(_powerWatts) ? _powerWatts : IsOn ? Type.Power.Watts(Utilization) : 0;

    /// <summary>
    /// Watts the host would draw with <paramref name="mips"/> more work. For a host that is off this
    /// includes switching it on, so its idle power counts.
    /// </summary>
    public double PowerWattsWith(double mips) => Type.Power.Watts((Mips + mips) / Type.CapacityMips);

    /// <summary>How much more power the host would draw with <paramref name="mips"/> more work (including its idle power if it is off).</summary>
    public double PowerIncreaseWatts(double mips) => PowerWattsWith(mips) - PowerWatts;

    /// <inheritdoc/>
    public override string ToString() => $"host {Host} ({Type.Name}): {VmCount} VMs, {Utilization:P0}";
}
