namespace VirtLab.Scheduling;

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
/// Work-conserving: an OVER entity runs when nothing better wants the thread. Each entity's credit,
/// priority and slice live in the scheduler's own record for it (Xen's <c>csched_vcpu</c> behind
/// <c>sched_priv</c>); read them with <see cref="CreditOf"/>, <see cref="PriorityOf"/> and <see cref="IsParked"/>.
/// <para>
/// <b>What it leaves out of Xen's credit1</b> (<c>xen/common/sched_credit.c</c>):
/// <list type="bullet">
/// <item>Per-pCPU run queues and everything that keeps them balanced: here there is one queue, and
/// every idle thread chooses among all runnable entities, so there is no work stealing
/// (<c>csched_load_balance</c>, <c>csched_runq_steal</c>) and no run-queue sort after accounting.</item>
/// <item>Tickling: a waking BOOST entity does not send an IPI (<c>__runq_tickle</c>, SCHEDULE_SOFTIRQ)
/// to a chosen idle or lower-priority pCPU; it preempts at the next scheduling step, at most one
/// step (0.05 ms by default) later.</item>
/// <item>The cost of migrating: an entity may run on any thread at every dispatch; there is no
/// cache-hot check (<c>vcpu_migration_delay</c>), no hard or soft affinity (pinning), no NUMA
/// nodes, and no <c>_VPF_migrating</c> kick of a running vCPU to a better pCPU. Choosing idle cores
/// before SMT siblings is the SMT placement's job (<see cref="ISmtPlacement"/>), not
/// <c>csched_cpu_pick</c>'s.</item>
/// <item>Accounting details: a VM's share follows its weight alone (<c>csched_acct</c> weighs a
/// domain by weight × active vCPUs); unused credit of capped or idle VMs is not handed on
/// (<c>credit_balance</c>, <c>credit_peak</c>, <c>credit_xtra</c>); credit is simply clamped to
/// ±one period's worth, where Xen takes a vCPU above the upper bound off the active list and halves
/// its credit.</item>
/// <item>Caps: a capped VM is parked as soon as its run time in the current period reaches its cap
/// and unparked at the next period; Xen parks at accounting time once credit is below minus the cap
/// (<c>vcpu_pause</c>) and unparks when it turns positive.</item>
/// <item>The context-switch rate limit (<c>sched_ratelimit_us</c>, 1 ms by default): a BOOSTed
/// entity preempts at once however briefly the current one has run.</item>
/// <item>The yield flag (<c>CSCHED_FLAG_VCPU_YIELD</c>): a guest's yield hypercall is not passed to
/// the scheduler, so a yielding vCPU is not put behind others of its priority.</item>
/// </list>
/// </para>
/// </summary>
public sealed class CreditScheduler(CreditSchedulerOptions? options = null) : IVcpuScheduler
{
    /// <summary>The scheduler's private record of one entity (Xen's <c>csched_vcpu</c>).</summary>
    private sealed class CreditVcpu
    {
        /// <summary>Positive: UNDER; spent: OVER.</summary>
        public double Credit;
        /// <summary>Woke from waiting with credit left: runs before UNDER and OVER.</summary>
        public bool Boost;
        /// <summary>Held back by its VM's cap until the next accounting period.</summary>
        public bool Parked;
        /// <summary>When it was last put on a thread (for the 30 ms slice).</summary>
        public ulong SliceStart;
        /// <summary>When it joined the queue: lower runs first within a priority.</summary>
        public long QueueStamp;
        /// <summary>Cycles run in the current accounting period (an entity that ran is active).</summary>
        public ulong PeriodRun;
    }

    private readonly CreditSchedulerOptions _options = options ?? new CreditSchedulerOptions();
    private readonly PerEntity<CreditVcpu> _vcpus = new();
    private IReadOnlyList<ISchedulable> _entities = [];
    private int _threads;
    private ulong _tickCycles, _sliceCycles, _nextTick, _nextAccounting;
    private bool _tickThisStep;
    private long _stamp;
    private readonly Dictionary<int, ulong> _groupPeriodRun = new();   // Xen's csched_dom: cycles each VM ran this period

    /// <summary>"credit".</summary>
    public string Name => "credit";
    /// <summary>Slice, tick and credits per tick.</summary>
    public CreditSchedulerOptions Options => _options;
    private double CreditsPerPeriod => _options.CreditsPerTick * _options.SliceMilliseconds / _options.TickMilliseconds;

    /// <inheritdoc/>
    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
    {
        _threads = hardwareThreads;
        _entities = entities;
        _tickCycles = Math.Max(1, (ulong)(_options.TickMilliseconds * cyclesPerMillisecond));
        _sliceCycles = Math.Max(1, (ulong)(_options.SliceMilliseconds * cyclesPerMillisecond));
        _nextTick = _tickCycles;
        _nextAccounting = 0;
    }

    /// <summary>The priority of <paramref name="e"/> now.</summary>
    public CreditPriority PriorityOf(ISchedulable e) => Priority(_vcpus[e]);

    private static CreditPriority Priority(CreditVcpu v) =>
        v.Boost ? CreditPriority.Boost : v.Credit > 0 ? CreditPriority.Under : CreditPriority.Over;

    /// <summary>The credit of <paramref name="e"/> now (positive: UNDER), clamped to ±one period's worth at each accounting.</summary>
    public double CreditOf(ISchedulable e) => _vcpus[e].Credit;

    /// <summary>True while <paramref name="e"/>'s VM has used its cap for this period.</summary>
    public bool IsParked(ISchedulable e) => _vcpus[e].Parked;

    /// <inheritdoc/>
    public void Tick(ulong now)
    {
        _tickThisStep = false;
        if (now >= _nextAccounting) { DistributeCredits(); _nextAccounting = now + _sliceCycles; }
        if (now >= _nextTick)
        {
            _tickThisStep = true;
            while (_nextTick <= now) _nextTick += _tickCycles;
            foreach (var e in _entities) if (e.Sched.Thread >= 0) _vcpus[e].Boost = false;
        }
    }

    private void DistributeCredits()
    {
        // Active: wants CPU now, or ran in the period that just ended.
        var active = _entities.Where(e => e.State == RunState.Runnable || _vcpus[e].PeriodRun > 0).ToList();
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
            {
                var v = _vcpus[e];
                v.Credit = Math.Clamp(v.Credit + share / n, -CreditsPerPeriod, CreditsPerPeriod);
            }
        }
        foreach (var e in _entities) { var v = _vcpus[e]; v.PeriodRun = 0; v.Parked = false; }
        _groupPeriodRun.Clear();
    }

    /// <inheritdoc/>
    public void OnWake(ISchedulable entity, ulong now)
    {
        var v = _vcpus[entity];
        if (v.Credit > 0) v.Boost = true;
        v.QueueStamp = ++_stamp;
    }

    /// <inheritdoc/>
    public void OnDeschedule(ISchedulable entity, ulong now) => _vcpus[entity].QueueStamp = ++_stamp;

    /// <inheritdoc/>
    public void Account(ISchedulable entity, ulong cycles, ulong now)
    {
        var v = _vcpus[entity];
        v.Credit -= cycles * _options.CreditsPerTick / _tickCycles;
        v.PeriodRun += cycles;
        int cap = entity.CapPercent;
        if (cap > 0)
        {
            _groupPeriodRun.TryGetValue(entity.Group, out ulong used);
            used += cycles;
            _groupPeriodRun[entity.Group] = used;
            if (used >= _sliceCycles * (ulong)cap / 100)
                foreach (var e in _entities) if (e.Group == entity.Group) _vcpus[e].Parked = true;
        }
    }

    /// <inheritdoc/>
    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        ISchedulable? best = null;
        CreditVcpu? bestVcpu = null;
        foreach (var e in candidates)
        {
            var v = _vcpus[e];
            if (v.Parked) continue;
            if (bestVcpu is null || Better(v, bestVcpu)) { best = e; bestVcpu = v; }
        }
        if (bestVcpu is not null) bestVcpu.SliceStart = now;
        return best;
    }

    private static bool Better(CreditVcpu a, CreditVcpu b)
    {
        var pa = Priority(a); var pb = Priority(b);
        return pa != pb ? pa > pb : a.QueueStamp < b.QueueStamp;
    }

    /// <inheritdoc/>
    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
    {
        var cur = _vcpus[current];
        if (cur.Parked) return true;
        var mine = Priority(cur);
        var best = CreditPriority.Idle;
        foreach (var e in waiting) { var v = _vcpus[e]; if (!v.Parked) { var p = Priority(v); if (p > best) best = p; } }
        if (best == CreditPriority.Idle) return false;
        if (best == CreditPriority.Boost && mine != CreditPriority.Boost) return true;   // a wake-up "tickles" the thread
        if (_tickThisStep && best > mine) return true;
        return now - cur.SliceStart >= _sliceCycles && best >= mine;
    }
}
