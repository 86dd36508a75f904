namespace VirtLab.Scheduling;

/// <summary>
/// What the host accounts for one schedulable entity: where it runs, how often it was put on a
/// hardware thread, and where its time went. Run + Ready + CoStop + Wait = elapsed time, for every
/// entity. The host alone writes these; a scheduler reads them and keeps its own per-entity state
/// (credit, virtual runtime, ...) to itself (see <see cref="PerEntity{T}"/>), as Xen's schedulers
/// keep theirs behind each vCPU's <c>sched_priv</c> pointer.
/// </summary>
public sealed class SchedulingData
{
    /// <summary>Its position in <c>Host.Entities</c>, set when the host adopts it (-1 before): a small, stable number to index per-entity tables by.</summary>
    public int Index { get; internal set; } = -1;
    /// <summary>Cycles on a hardware thread (guest work plus exit handling).</summary>
    public ulong RunCycles { get; internal set; }
    /// <summary>
    /// The part of <see cref="RunCycles"/> during which the other hardware thread of its core ran
    /// something else, so that it got only the share of the core that the SMT core model gives a
    /// thread with a busy sibling. A scheduler that charges by time alone (Xen's credit schedulers)
    /// charges these cycles in full; ESXi charges them less, about 62.5 %, because a thread beside a
    /// busy sibling does only "slightly more than half" of the work it would do with the core to
    /// itself (vSphere Resource Management guide, "Hyperthreading").
    /// </summary>
    public ulong SiblingBusyCycles { get; internal set; }
    /// <summary>Cycles runnable but not on a hardware thread.</summary>
    public ulong ReadyCycles { get; internal set; }
    /// <summary>Cycles held back by relaxed co-scheduling because it ran ahead of its sibling vCPUs.</summary>
    public ulong CoStopCycles { get; internal set; }
    /// <summary>Cycles idle (WFI, sleeping) or stopped.</summary>
    public ulong WaitCycles { get; internal set; }
    /// <summary>Held back by relaxed co-scheduling right now (the host never offers it to the scheduler then).</summary>
    public bool CoStopped { get; internal set; }
    /// <summary>Which hardware thread it is on, or -1.</summary>
    public int Thread { get; internal set; } = -1;
    /// <summary>Times it was put on a hardware thread.</summary>
    public long Dispatches { get; internal set; }

    /// <summary>Cycles it has run in the current step (the host folds them into <see cref="RunCycles"/> at the step's end).</summary>
    internal ulong RunThisStep;
}
