namespace VirtLab.Scheduling;

/// <summary>
/// A vCPU scheduler: decides which runnable entity (vCPU, or host process on a Type 2 host) runs on
/// which hardware thread. Give a host your own with <c>new HostConfig { Scheduler = new MyScheduler() }</c>;
/// without one it uses <see cref="CreditScheduler"/> (Type 1) or <see cref="FairShareScheduler"/> (Type 2).
/// <para>
/// <b>When the host calls what.</b> Time advances in steps (<c>HostConfig.StepMilliseconds</c>); all
/// times are host cycles.
/// <list type="number">
/// <item>Once, before the first step: <see cref="Initialize"/>, then <see cref="OnWake"/> for every
/// entity that is runnable at boot.</item>
/// <item>At the start of every step: <see cref="OnWake"/> for each entity an interrupt woke, then
/// <see cref="Tick"/>.</item>
/// <item>For each hardware thread that runs something: <see cref="ShouldPreempt"/>; true takes the
/// entity off (then <see cref="OnDeschedule"/>). An entity that blocked, was co-stopped or is held
/// back by the low memory state is taken off without asking.</item>
/// <item>For each idle thread, in the order of the SMT placement: <see cref="PickNext"/>.</item>
/// <item>While the threads run the step: <see cref="Account"/> after every stretch an entity ran;
/// if it blocked, <see cref="OnDeschedule"/> and <see cref="PickNext"/> again for the rest of the
/// step (so <c>now</c> can lie inside the step).</item>
/// </list>
/// A VM that stops takes its vCPUs off their threads without <see cref="OnDeschedule"/>; they are
/// never runnable again. After a VM reset its vCPUs get <see cref="OnWake"/>.
/// </para>
/// <para>
/// <b>Rules.</b> <see cref="PickNext"/> returns null (leave the thread idle) or one of the
/// candidates it was given, never anything else. Keep per-entity state in your own tables (for
/// example a <see cref="PerEntity{T}"/>); <see cref="ISchedulable.Sched"/> is the host's accounting,
/// read-only to you. Never call <see cref="ISchedulable.Run"/>. A scheduler that throws, or returns
/// an entity that was not a candidate (not runnable, already on another thread, co-stopped, kept off
/// this core by the SMT placement, or not of this host), stops the host with a
/// <c>PolicyViolationException</c> that names the scheduler, the member and the time. One scheduler
/// object schedules one host.
/// </para>
/// <example>
/// Round robin with a 10 ms slice, all in one queue:
/// <code>
/// public sealed class RoundRobin : IVcpuScheduler
/// {
///     private readonly List&lt;ISchedulable&gt; _queue = new();          // who waits, longest first
///     private readonly Dictionary&lt;ISchedulable, ulong&gt; _since = new();
///     private ulong _slice;
///     public string Name =&gt; "round-robin";
///     public void Initialize(int threads, ulong cyclesPerMs, IReadOnlyList&lt;ISchedulable&gt; entities) =&gt; _slice = 10 * cyclesPerMs;
///     public void Tick(ulong now) { }
///     public void OnWake(ISchedulable e, ulong now) =&gt; _queue.Add(e);
///     public void OnDeschedule(ISchedulable e, ulong now) { if (e.State == RunState.Runnable) _queue.Add(e); }
///     public void Account(ISchedulable e, ulong cycles, ulong now) { }
///     public ISchedulable? PickNext(HardwareThread t, IReadOnlyList&lt;ISchedulable&gt; candidates, ulong now)
///     {
///         var next = _queue.FirstOrDefault(candidates.Contains);
///         if (next is null) return null;
///         _queue.Remove(next);
///         _since[next] = now;
///         return next;
///     }
///     public bool ShouldPreempt(HardwareThread t, ISchedulable current, IReadOnlyList&lt;ISchedulable&gt; waiting, ulong now) =&gt;
///         waiting.Count &gt; 0 &amp;&amp; now - _since[current] &gt;= _slice;
/// }
/// </code>
/// </example>
/// </summary>
public interface IVcpuScheduler
{
    /// <summary>A short name for tables and error messages ("credit", "fair", "round-robin").</summary>
    string Name { get; }

    /// <summary>
    /// Called once, before the first step. <paramref name="entities"/> is the host's own list: a VM
    /// created later adds its vCPUs to it. <paramref name="hardwareThreads"/> counts the usable ones.
    /// </summary>
    void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities);

    /// <summary>Periodic work (credit accounting, ticks) for the step that starts at <paramref name="now"/>. Called every step, after the wake-ups.</summary>
    void Tick(ulong now);

    /// <summary><paramref name="entity"/> became runnable after waiting (or at boot, or after its VM was reset).</summary>
    void OnWake(ISchedulable entity, ulong now);

    /// <summary><paramref name="entity"/> left its hardware thread: preempted (still runnable) or blocked (waiting or stopped).</summary>
    void OnDeschedule(ISchedulable entity, ulong now);

    /// <summary><paramref name="entity"/> ran for <paramref name="cycles"/> cycles up to <paramref name="now"/> (0 is possible).</summary>
    void Account(ISchedulable entity, ulong cycles, ulong now);

    /// <summary>
    /// Chooses what idle thread <paramref name="thread"/> runs next: one of
    /// <paramref name="candidates"/> (all runnable, on no thread, and allowed on this thread), or
    /// null to leave it idle until the next step. The list is the host's and is refilled for the
    /// next question: read it during the call, and copy what you want to keep.
    /// </summary>
    ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now);

    /// <summary>
    /// Whether <paramref name="current"/>, running on <paramref name="thread"/>, should give the thread
    /// up now, given who is <paramref name="waiting"/> (the candidates, possibly empty). Asked once per
    /// step per busy thread. Like PickNext's candidates, the list is valid only during the call.
    /// </summary>
    bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now);
}
