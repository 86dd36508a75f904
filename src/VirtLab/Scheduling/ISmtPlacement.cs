namespace VirtLab.Scheduling;

/// <summary>
/// SMT placement: where vCPUs go when a core's two hardware threads share its pipeline and cache.
/// The scheduler decides <i>who</i> runs; the placement decides in which order idle threads are
/// filled, who may run beside whom on one core, and whether a running entity should move to an idle
/// core. Give a host yours with <c>new HostConfig { Placement = new MyPlacement() }</c>; the built-ins
/// are <see cref="SmtPlacement.SmtAware"/> (the default), <see cref="SmtPlacement.Packed"/> and
/// <see cref="SmtPlacement.SameVmSiblings"/>. (The SCAv1 mitigation, one thread per core, is a
/// property of the hardware rather than a placement: <c>HostConfig.OneThreadPerCore</c>.)
/// <para>
/// <b>When the host calls what.</b> <see cref="FillOrder"/> once, when the host is built. In every
/// scheduling step, for each idle thread in that order whose sibling runs something,
/// <see cref="MayRunBeside"/> for each candidate before the scheduler picks; then, on a host with
/// two usable threads per core and some thread idle, <see cref="MoveTo"/> for each busy thread in
/// index order, after the moves before it were carried out. A move is free and does not count as a dispatch.
/// </para>
/// <para>
/// <b>Rules.</b> <see cref="FillOrder"/> lists every thread index exactly once.
/// <see cref="MoveTo"/> returns null or an idle, usable thread of the same host other than the one
/// asked about. Anything else, or an exception, stops the host with a <c>PolicyViolationException</c>
/// naming the placement, the member and the time.
/// </para>
/// <example>
/// Keep host processes off the cores that run vCPUs, otherwise place like SMT-aware:
/// <code>
/// public sealed class KeepHostApart : ISmtPlacement
/// {
///     public string Name =&gt; "keep-host-apart";
///     public IReadOnlyList&lt;int&gt; FillOrder(IReadOnlyList&lt;HardwareThread&gt; threads) =&gt; SmtPlacement.SmtAware.FillOrder(threads);
///     public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) =&gt; (candidate.Group &lt; 0) == (sibling.Group &lt; 0);
///     public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList&lt;HardwareThread&gt; threads) =&gt; SmtPlacement.SmtAware.MoveTo(busy, threads);
/// }
/// </code>
/// </example>
/// </summary>
public interface ISmtPlacement
{
    /// <summary>A short name for tables and error messages ("smt-aware").</summary>
    string Name { get; }

    /// <summary>The order in which the host fills idle hardware threads at each step: every index of <paramref name="threads"/> once.</summary>
    IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads);

    /// <summary>Whether <paramref name="candidate"/> may start on a thread whose sibling runs <paramref name="sibling"/>. False keeps it off that thread for now.</summary>
    bool MayRunBeside(ISchedulable candidate, ISchedulable sibling);

    /// <summary>
    /// An idle thread to move <paramref name="busy"/>'s entity to (for example the first thread of an
    /// idle core, when <paramref name="busy"/>'s sibling is busy too), or null to leave it where it is.
    /// </summary>
    HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads);
}
