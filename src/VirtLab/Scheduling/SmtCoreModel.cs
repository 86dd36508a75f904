namespace VirtLab.Scheduling;

/// <summary>
/// The shared resources of one core, as its one or two hardware threads see them: a pipeline that
/// one thread can drive at 1 instruction per cycle and two threads together at most
/// <see cref="SharedIssueCapacity"/>, every memory access stalling <see cref="HitStallCycles"/>
/// (load-to-use), and a per-core cache of <see cref="CacheBytes"/> shared by both threads, beyond
/// which a miss costs <see cref="MissLatencyCycles"/>.
/// <para>
/// How much SMT gains or loses comes out of this: two ALU-bound threads compete for issue slots
/// and gain little (at most the shared capacity); threads that stall on memory leave slots the
/// sibling fills, so they gain more; two threads whose footprints together overflow the cache miss
/// where each alone would hit, and can lose. Miss rate for a combined footprint W larger than the
/// cache C is modelled as 1 - C/W (uniform reuse over the footprint).
/// </para>
/// </summary>
public sealed record SmtCoreModel
{
    /// <summary>Instructions per cycle two threads can issue together; one alone is capped at 1. Intel quotes "up to 30%" from SMT.</summary>
    public double SharedIssueCapacity { get; init; } = 1.15;
    /// <summary>Stall cycles of a memory access that hits the core's cache (load-to-use latency).</summary>
    public double HitStallCycles { get; init; } = 2;
    /// <summary>Stall cycles of a cache miss (to memory).</summary>
    public double MissLatencyCycles { get; init; } = 100;
    /// <summary>The per-core cache shared by the sibling threads (256 KiB, a typical per-core L2).</summary>
    public double CacheBytes { get; init; } = 256 * 1024;

    /// <summary>Cycles per instruction for a thread with profile <paramref name="p"/> when the core's cache holds <paramref name="combinedFootprint"/> bytes.</summary>
    public double Cpi(ExecutionProfile p, double combinedFootprint)
    {
        double miss = combinedFootprint <= CacheBytes ? 0 : 1 - CacheBytes / combinedFootprint;
        return 1 + p.MemoryFraction * (HitStallCycles + miss * MissLatencyCycles);
    }

    /// <summary>
    /// Instructions per cycle of a thread with profile <paramref name="self"/> whose sibling runs
    /// <paramref name="sibling"/> (null: the sibling is idle or SMT is off).
    /// </summary>
    public double Ipc(ExecutionProfile self, ExecutionProfile? sibling)
    {
        if (sibling is null) return 1 / Cpi(self, self.FootprintBytes);
        double w = self.FootprintBytes + sibling.FootprintBytes;
        double mine = 1 / Cpi(self, w), theirs = 1 / Cpi(sibling, w);
        double demand = mine + theirs;
        return demand > SharedIssueCapacity ? mine * SharedIssueCapacity / demand : mine;
    }
}

/// <summary>Where to put vCPUs when there are fewer of them than hardware threads.</summary>
public enum SmtPlacement
{
    /// <summary>Prefer hardware threads on idle cores before siblings of busy threads (and migrate to get there).</summary>
    SmtAware,
    /// <summary>Fill hardware threads in order, siblings first: what an SMT-unaware scheduler does.</summary>
    Packed,
}

/// <summary>One hardware thread of the host.</summary>
public sealed class HardwareThread
{
    internal HardwareThread(int index, int core, int sibling, bool usable)
    {
        Index = index; Core = core; SiblingIndex = sibling; Usable = usable;
    }

    public int Index { get; }
    public int Core { get; }
    /// <summary>Index of the other thread of the core, or -1 without SMT.</summary>
    public int SiblingIndex { get; }
    /// <summary>False when the one-thread-per-core mitigation keeps it offline.</summary>
    public bool Usable { get; }
    /// <summary>What it runs now.</summary>
    public ISchedulable? Current { get; internal set; }
    internal ISchedulable? Last;
    /// <summary>Cycles it was busy.</summary>
    public ulong BusyCycles { get; internal set; }
}
