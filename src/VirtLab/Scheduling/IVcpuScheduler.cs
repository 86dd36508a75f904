namespace VirtLab.Scheduling;

/// <summary>
/// A policy that decides which runnable entity runs on which hardware thread. The host calls it at
/// every scheduling step (<see cref="Tick"/>), asks whether the current entity of a thread should
/// give way (<see cref="ShouldPreempt"/>), asks for the next one (<see cref="PickNext"/>), and
/// reports the time each entity ran (<see cref="Account"/>).
/// </summary>
public interface IVcpuScheduler
{
    string Name { get; }
    /// <summary>Called once, before the first step.</summary>
    void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities);
    /// <summary>Periodic work (accounting, ticks) for the step that starts at <paramref name="now"/>.</summary>
    void Tick(ulong now);
    /// <summary>An entity became runnable after waiting.</summary>
    void OnWake(ISchedulable entity, ulong now);
    /// <summary>An entity left a hardware thread (preempted or blocked).</summary>
    void OnDeschedule(ISchedulable entity, ulong now);
    /// <summary>An entity ran for <paramref name="cycles"/>.</summary>
    void Account(ISchedulable entity, ulong cycles, ulong now);
    /// <summary>Chooses what thread <paramref name="thread"/> runs next among <paramref name="candidates"/> (all runnable and free), or null to idle.</summary>
    ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now);
    /// <summary>Whether <paramref name="current"/> should leave <paramref name="thread"/> given who is waiting.</summary>
    bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now);
}

/// <summary>Options of the credit scheduler (defaults: Xen credit1).</summary>
public sealed record CreditSchedulerOptions
{
    /// <summary>Time slice: 30 ms.</summary>
    public double SliceMilliseconds { get; init; } = 30;
    /// <summary>Accounting tick: 10 ms.</summary>
    public double TickMilliseconds { get; init; } = 10;
    /// <summary>Credits debited per tick of running (Xen: 100), so 300 per 30 ms slice.</summary>
    public double CreditsPerTick { get; init; } = 100;
}

/// <summary>
/// Proportional share in the style of Xen's credit scheduler (credit1).
/// <list type="bullet">
/// <item>Every accounting period (one slice, 30 ms) the credits of all hardware threads
/// (300 each) are shared among active VMs in proportion to their weights, split evenly among a VM's
/// active vCPUs, and limited by the VM's cap.</item>
/// <item>Running costs credit in exact proportion to time run (100 per 10 ms tick).</item>
/// <item>Priority: BOOST (just woke from waiting with credit left) &gt; UNDER (credit left) &gt; OVER
/// (credit spent). Within a priority, first come first served.</item>
/// <item>A thread switches at the end of a 30 ms slice, at a tick when someone of higher priority
/// waits, at once when a BOOSTed entity wakes, and when a capped VM has used its cap (it is parked
/// until the next period). BOOST ends at the first tick the entity is running.</item>
/// </list>
/// Work-conserving: an OVER entity runs when nothing better wants the thread.
/// </summary>
public sealed class CreditScheduler(CreditSchedulerOptions? options = null) : IVcpuScheduler
{
    private readonly CreditSchedulerOptions _options = options ?? new CreditSchedulerOptions();
    private IReadOnlyList<ISchedulable> _entities = [];
    private int _threads;
    private ulong _tickCycles, _sliceCycles, _nextTick, _nextAccounting;
    private bool _tickThisStep;
    private long _stamp;
    private readonly Dictionary<int, ulong> _groupPeriodRun = new();

    public string Name => "credit";
    public CreditSchedulerOptions Options => _options;
    private double CreditsPerPeriod => _options.CreditsPerTick * _options.SliceMilliseconds / _options.TickMilliseconds;

    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
    {
        _threads = hardwareThreads;
        _entities = entities;
        _tickCycles = Math.Max(1, (ulong)(_options.TickMilliseconds * cyclesPerMillisecond));
        _sliceCycles = Math.Max(1, (ulong)(_options.SliceMilliseconds * cyclesPerMillisecond));
        _nextTick = _tickCycles;
        _nextAccounting = 0;
    }

    /// <summary>The credit scheduler's priority of <paramref name="e"/>.</summary>
    public static CreditPriority PriorityOf(ISchedulable e) =>
        e.Sched.Boost ? CreditPriority.Boost : e.Sched.Credit > 0 ? CreditPriority.Under : CreditPriority.Over;

    public void Tick(ulong now)
    {
        _tickThisStep = false;
        if (now >= _nextAccounting) { DistributeCredits(); _nextAccounting = now + _sliceCycles; }
        if (now >= _nextTick)
        {
            _tickThisStep = true;
            while (_nextTick <= now) _nextTick += _tickCycles;
            foreach (var e in _entities) if (e.Sched.Thread >= 0) e.Sched.Boost = false;
        }
    }

    private void DistributeCredits()
    {
        // Active: wants CPU now, or ran in the period that just ended.
        var active = _entities.Where(e => e.State == RunState.Runnable || e.Sched.PeriodRun > 0).ToList();
        var groups = active.GroupBy(e => e.Group).ToList();
        double totalWeight = groups.Sum(g => (double)g.First().Weight);
        double total = _threads * CreditsPerPeriod;
        foreach (var g in groups)
        {
            double share = totalWeight > 0 ? total * g.First().Weight / totalWeight : 0;
            int cap = g.First().CapPercent;
            if (cap > 0) share = Math.Min(share, CreditsPerPeriod * cap / 100.0);
            int n = g.Count();
            foreach (var e in g)
                e.Sched.Credit = Math.Clamp(e.Sched.Credit + share / n, -CreditsPerPeriod, CreditsPerPeriod);
        }
        foreach (var e in _entities) { e.Sched.PeriodRun = 0; e.Sched.Parked = false; }
        _groupPeriodRun.Clear();
    }

    public void OnWake(ISchedulable entity, ulong now)
    {
        if (entity.Sched.Credit > 0) entity.Sched.Boost = true;
        entity.Sched.QueueStamp = ++_stamp;
    }

    public void OnDeschedule(ISchedulable entity, ulong now) => entity.Sched.QueueStamp = ++_stamp;

    public void Account(ISchedulable entity, ulong cycles, ulong now)
    {
        var s = entity.Sched;
        s.Credit -= cycles * _options.CreditsPerTick / _tickCycles;
        s.PeriodRun += cycles;
        int cap = entity.CapPercent;
        if (cap > 0)
        {
            _groupPeriodRun.TryGetValue(entity.Group, out ulong used);
            used += cycles;
            _groupPeriodRun[entity.Group] = used;
            if (used >= _sliceCycles * (ulong)cap / 100)
                foreach (var e in _entities) if (e.Group == entity.Group) e.Sched.Parked = true;
        }
    }

    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        ISchedulable? best = null;
        foreach (var e in candidates)
        {
            if (e.Sched.Parked) continue;
            if (best is null || Better(e, best)) best = e;
        }
        if (best is not null) best.Sched.SliceStart = now;
        return best;
    }

    private static bool Better(ISchedulable a, ISchedulable b)
    {
        var pa = PriorityOf(a); var pb = PriorityOf(b);
        return pa != pb ? pa > pb : a.Sched.QueueStamp < b.Sched.QueueStamp;
    }

    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
    {
        if (current.Sched.Parked) return true;
        var mine = PriorityOf(current);
        var best = CreditPriority.Idle;
        foreach (var e in waiting) if (!e.Sched.Parked) { var p = PriorityOf(e); if (p > best) best = p; }
        if (best == CreditPriority.Idle) return false;
        if (best == CreditPriority.Boost && mine != CreditPriority.Boost) return true;   // a wake-up "tickles" the thread
        if (_tickThisStep && best > mine) return true;
        return now - current.Sched.SliceStart >= _sliceCycles && best >= mine;
    }
}

/// <summary>
/// A host operating system's fair-share scheduler in the style of Linux CFS, used for the Type 2
/// host, where vCPU threads are ordinary host threads: the runnable thread with the least weighted
/// virtual runtime runs; a thread runs at least <see cref="MinGranularityMilliseconds"/> before
/// it can be preempted; a thread that wakes is placed a little behind the others so sleepers get
/// the CPU soon but cannot bank unlimited credit.
/// </summary>
public sealed class FairShareScheduler : IVcpuScheduler
{
    private ulong _cyclesPerMs;
    private IReadOnlyList<ISchedulable> _entities = [];

    public string Name => "fair";
    public double MinGranularityMilliseconds { get; init; } = 3;
    public double WakeupGranularityMilliseconds { get; init; } = 1;
    public double SleeperCreditMilliseconds { get; init; } = 3;

    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
    {
        _cyclesPerMs = cyclesPerMillisecond;
        _entities = entities;
    }

    public void Tick(ulong now) { }

    private double MinVruntime()
    {
        double min = double.MaxValue;
        foreach (var e in _entities) if (e.State == RunState.Runnable) min = Math.Min(min, e.Sched.VirtualRuntime);
        return min == double.MaxValue ? 0 : min;
    }

    public void OnWake(ISchedulable entity, ulong now)
    {
        double floor = MinVruntime() - SleeperCreditMilliseconds * _cyclesPerMs;
        if (entity.Sched.VirtualRuntime < floor) entity.Sched.VirtualRuntime = floor;
    }

    public void OnDeschedule(ISchedulable entity, ulong now) { }

    public void Account(ISchedulable entity, ulong cycles, ulong now) =>
        entity.Sched.VirtualRuntime += cycles * 256.0 / Math.Max(1, entity.Weight);

    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        ISchedulable? best = null;
        foreach (var e in candidates)
            if (best is null || e.Sched.VirtualRuntime < best.Sched.VirtualRuntime) best = e;
        if (best is not null) best.Sched.SliceStart = now;
        return best;
    }

    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
    {
        if (waiting.Count == 0) return false;
        if (now - current.Sched.SliceStart < MinGranularityMilliseconds * _cyclesPerMs) return false;
        double min = waiting.Min(e => e.Sched.VirtualRuntime);
        return min + WakeupGranularityMilliseconds * _cyclesPerMs < current.Sched.VirtualRuntime;
    }
}
