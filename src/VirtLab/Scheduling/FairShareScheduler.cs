namespace VirtLab.Scheduling;

/// <summary>
/// A host operating system's fair-share scheduler in the style of Linux CFS, used for the Type 2
/// host, where vCPU threads are ordinary host threads: the runnable thread with the least weighted
/// virtual runtime runs; a thread runs at least <see cref="MinGranularityMilliseconds"/> before
/// it can be preempted; a thread that wakes is placed a little behind the others so sleepers get
/// the CPU soon but cannot bank unlimited credit. Each entity's virtual runtime and slice start live
/// in the scheduler's own record for it (read with <see cref="VirtualRuntimeOf"/>).
/// </summary>
public sealed class FairShareScheduler : IVcpuScheduler
{
    /// <summary>The scheduler's private record of one entity (CFS's <c>sched_entity</c>).</summary>
    private sealed class FairEntity
    {
        /// <summary>Cycles run, scaled by 256 / weight.</summary>
        public double VirtualRuntime;
        /// <summary>When it was last put on a thread (for the minimum granularity).</summary>
        public ulong SliceStart;
    }

    /// <summary>CFS's weight of a nice-0 task; an entity of this weight accrues virtual runtime at the rate of real time.</summary>
    private const double NiceZeroWeight = 256;

    private readonly PerEntity<FairEntity> _records = new();
    private ulong _cyclesPerMs;
    private IReadOnlyList<ISchedulable> _entities = [];

    /// <summary>"fair".</summary>
    public string Name => "fair";
    /// <summary>Least time a thread runs before it can be preempted, in simulated ms (CFS's <c>sched_min_granularity</c>): 3.</summary>
    public double MinGranularityMilliseconds { get; init; } = 3;
    /// <summary>How far ahead of a waiting thread the running one must be to be preempted, in simulated ms (<c>sched_wakeup_granularity</c>): 1.</summary>
    public double WakeupGranularityMilliseconds { get; init; } = 1;
    /// <summary>How far behind the least virtual runtime a waking thread is placed, in simulated ms: 3.</summary>
    public double SleeperCreditMilliseconds { get; init; } = 3;

    /// <summary>The virtual runtime of <paramref name="e"/>, in weighted cycles.</summary>
    public double VirtualRuntimeOf(ISchedulable e) => _records[e].VirtualRuntime;

    /// <inheritdoc/>
    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
    {
        _cyclesPerMs = cyclesPerMillisecond;
        _entities = entities;
    }

    /// <inheritdoc/>
    public void Tick(ulong now) { }

    private double MinVruntime()
    {
        double min = double.MaxValue;
        foreach (var e in _entities) if (e.State == RunState.Runnable) min = Math.Min(min, _records[e].VirtualRuntime);
        return min == double.MaxValue ? 0 : min;
    }

    /// <inheritdoc/>
    public void OnWake(ISchedulable entity, ulong now)
    {
        var r = _records[entity];
        double floor = MinVruntime() - SleeperCreditMilliseconds * _cyclesPerMs;
        if (r.VirtualRuntime < floor) r.VirtualRuntime = floor;
    }

    /// <inheritdoc/>
    public void OnDeschedule(ISchedulable entity, ulong now) { }

    /// <inheritdoc/>
    public void Account(ISchedulable entity, ulong cycles, ulong now) =>
        _records[entity].VirtualRuntime += cycles * NiceZeroWeight / Math.Max(1, entity.Weight);

    /// <inheritdoc/>
    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        ISchedulable? best = null;
        FairEntity? bestRecord = null;
        foreach (var e in candidates)
        {
            var r = _records[e];
            if (bestRecord is null || r.VirtualRuntime < bestRecord.VirtualRuntime) { best = e; bestRecord = r; }
        }
        if (bestRecord is not null) bestRecord.SliceStart = now;
        return best;
    }

    /// <inheritdoc/>
    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
    {
        if (waiting.Count == 0) return false;
        var cur = _records[current];
        if (now - cur.SliceStart < MinGranularityMilliseconds * _cyclesPerMs) return false;
        double min = double.MaxValue;
        foreach (var e in waiting) min = Math.Min(min, _records[e].VirtualRuntime);
        return min + WakeupGranularityMilliseconds * _cyclesPerMs < cur.VirtualRuntime;
    }
}
