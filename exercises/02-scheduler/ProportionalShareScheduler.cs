using VirtLab.Scheduling;

/// <summary>
/// Exercise 2: a proportional-share vCPU scheduler. Read README.md first. The host calls the
/// members below (see <see cref="IVcpuScheduler"/> for when); <c>virtlab grade</c> makes one of
/// these per run with <c>new ProportionalShareScheduler()</c>.
/// </summary>
public sealed class ProportionalShareScheduler : IVcpuScheduler
{
    // BEGIN SOLUTION MEMBERS
    /// <summary>This scheduler's private record of one entity.</summary>
    private sealed class Share
    {
        /// <summary>Cycles run, scaled by 256 / weight: a heavier VM's clock runs slower, so it runs longer.</summary>
        public double VirtualRuntime;
        /// <summary>The host's <c>Sched.RunCycles</c> when this record last caught up with it.</summary>
        public ulong RunCyclesSeen;
        /// <summary>When it last got a thread.</summary>
        public ulong SliceStart;
    }

    /// <summary>A VM's use of its cap: which cap period, and its vCPUs' run cycles when that period began.</summary>
    private sealed class CapUse
    {
        public ulong Period;
        public ulong RunCyclesAtStart;
    }

    /// <summary>The weight at which virtual runtime advances at the rate of real time (Xen's default weight).</summary>
    private const double DefaultWeight = 256;
    /// <summary>How long a vCPU runs before an equally entitled waiting one may take its thread, in ms.</summary>
    private const double SliceMs = 1;
    /// <summary>How far behind the least virtual runtime a waking vCPU is placed, in ms: enough to run at once, too little to bank credit while asleep.</summary>
    private const double WakeCreditMs = 1;
    /// <summary>The period over which a cap is enforced, in ms (Xen's credit scheduler accounts every 10 ms too).</summary>
    private const double CapPeriodMs = 10;

    private readonly PerEntity<Share> _shares = new();
    private readonly Dictionary<int, CapUse> _capUse = new();
    private IReadOnlyList<ISchedulable> _entities = [];
    private ulong _cyclesPerMs;
    /// <summary>The length of the host's scheduling step, learnt from the ticks: a decision holds for at least that long.</summary>
    private ulong _step, _lastTick;
    // END SOLUTION

    /// <summary>"proportional-share".</summary>
    public string Name => "proportional-share";

    /// <inheritdoc/>
    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
    {
        // BEGIN SOLUTION
        _cyclesPerMs = cyclesPerMillisecond;
        _entities = entities;
        // END SOLUTION
    }

    /// <inheritdoc/>
    public void Tick(ulong now)
    {
        // BEGIN SOLUTION
        // Charge run time from the host's own accounts, which include the world switches Account does not see.
        foreach (var e in _entities)
        {
            var s = _shares[e];
            s.VirtualRuntime += (e.Sched.RunCycles - s.RunCyclesSeen) * DefaultWeight / Math.Max(1, e.Weight);
            s.RunCyclesSeen = e.Sched.RunCycles;
        }
        if (now > _lastTick) _step = now - _lastTick;
        _lastTick = now;
        // END SOLUTION
    }

    /// <inheritdoc/>
    public void OnWake(ISchedulable entity, ulong now)
    {
        // BEGIN SOLUTION
        var s = _shares[entity];
        double floor = LeastVirtualRuntime(entity) - WakeCreditMs * _cyclesPerMs;
        if (s.VirtualRuntime < floor) s.VirtualRuntime = floor;
        // END SOLUTION
    }

    /// <inheritdoc/>
    public void OnDeschedule(ISchedulable entity, ulong now)
    {
    }

    /// <inheritdoc/>
    public void Account(ISchedulable entity, ulong cycles, ulong now)
    {
    }

    /// <inheritdoc/>
    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        // BEGIN SOLUTION
        ISchedulable? best = null;
        foreach (var e in candidates)
            if (!OverCap(e, now) && (best is null || _shares[e].VirtualRuntime < _shares[best].VirtualRuntime)) best = e;
        if (best is not null) _shares[best].SliceStart = now;
        return best;
        // END SOLUTION
    }

    /// <inheritdoc/>
    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
    {
        // BEGIN SOLUTION
        if (OverCap(current, now)) return true;
        var cur = _shares[current];
        bool sliceOver = now - cur.SliceStart >= SliceMs * _cyclesPerMs;
        foreach (var e in waiting)
        {
            if (OverCap(e, now)) continue;
            double behind = cur.VirtualRuntime - _shares[e].VirtualRuntime;
            // A vCPU that just woke is a whole wake credit behind: it takes the thread at once.
            if (behind >= WakeCreditMs * _cyclesPerMs * 0.5 || (sliceOver && behind > 0)) return true;
        }
        return false;
        // END SOLUTION
    }

    // BEGIN SOLUTION MEMBERS
    private double LeastVirtualRuntime(ISchedulable except)
    {
        double least = double.MaxValue;
        foreach (var e in _entities)
            if (e != except && e.State == RunState.Runnable) least = Math.Min(least, _shares[e].VirtualRuntime);
        return least == double.MaxValue ? _shares[except].VirtualRuntime : least;
    }

    private ulong GroupRunCycles(int group)
    {
        ulong sum = 0;
        foreach (var e in _entities) if (e.Group == group) sum += e.Sched.RunCycles;
        return sum;
    }

    /// <summary>
    /// Whether <paramref name="e"/>'s VM has used its cap for this period. A decision lasts at least a
    /// step, so the VM stops when less than half a step of its budget is left: the cap is kept to
    /// within half a step per period either way.
    /// </summary>
    private bool OverCap(ISchedulable e, ulong now)
    {
        if (e.CapPercent <= 0) return false;
        ulong periodCycles = (ulong)(CapPeriodMs * _cyclesPerMs);
        ulong period = now / periodCycles;
        if (!_capUse.TryGetValue(e.Group, out var use) || use.Period != period)
            _capUse[e.Group] = use = new CapUse { Period = period, RunCyclesAtStart = GroupRunCycles(e.Group) };
        double budget = e.CapPercent * (double)periodCycles / 100;
        return GroupRunCycles(e.Group) - use.RunCyclesAtStart + _step / 2.0 >= budget;
    }
    // END SOLUTION
}
