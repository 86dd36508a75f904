namespace VirtLab.Scheduling;

/// <summary>
/// One hardware thread of the host: thread <see cref="Index"/> is thread
/// <c>Index % ThreadsPerCore</c> of core <see cref="Core"/>. Policies read it; only the host changes it.
/// </summary>
public sealed class HardwareThread
{
    internal HardwareThread(int index, int core, int sibling, bool usable)
    {
        Index = index; Core = core; SiblingIndex = sibling; Usable = usable;
    }

    /// <summary>Its position in <c>Host.Threads</c>: core × threads per core + thread within the core.</summary>
    public int Index { get; }
    /// <summary>The core it belongs to.</summary>
    public int Core { get; }
    /// <summary>Index of the other thread of the core, or -1 without SMT.</summary>
    public int SiblingIndex { get; }
    /// <summary>False when the one-thread-per-core mitigation keeps it offline.</summary>
    public bool Usable { get; }
    /// <summary>What it runs now, or null when idle.</summary>
    public ISchedulable? Current { get; internal set; }
    internal ISchedulable? Last;
    /// <summary>Cycles it was busy.</summary>
    public ulong BusyCycles { get; internal set; }
}
