namespace VirtLab.Scheduling;

/// <summary>Whether a schedulable thing can use a hardware thread right now.</summary>
public enum RunState
{
    /// <summary>Has work: running, or ready and waiting for a hardware thread.</summary>
    Runnable,
    /// <summary>Idle (a vCPU in WFI, a host process sleeping): needs no hardware thread until something wakes it.</summary>
    Waiting,
    /// <summary>Will never run again (its VM stopped).</summary>
    Stopped,
}

/// <summary>
/// Anything a scheduler puts on a hardware thread: a vCPU, or (on a Type 2 host) one of the host
/// OS's own processes.
/// </summary>
public interface ISchedulable
{
    string Name { get; }
    /// <summary>The VM it belongs to (its id), or -1 for host work. Weights and caps are per group.</summary>
    int Group { get; }
    /// <summary>Proportional-share weight (Xen: 1..65535, default 256).</summary>
    int Weight { get; }
    /// <summary>Cap in percent of one hardware thread for the whole group; 0 = no cap.</summary>
    int CapPercent { get; }
    RunState State { get; }
    /// <summary>The scheduler's and the accountant's bookkeeping for it.</summary>
    SchedulingData Sched { get; }
    /// <summary>What it has recently done to a core's pipeline and cache (for the SMT model).</summary>
    ExecutionProfile Profile { get; }
    /// <summary>
    /// Runs on a hardware thread from <paramref name="now"/> for at most <paramref name="budget"/>
    /// cycles, retiring about <paramref name="ipc"/> instructions per cycle. Returns the cycles used
    /// (never more than the budget); the state may change to Waiting or Stopped.
    /// </summary>
    ulong Run(ulong now, ulong budget, double ipc);
    /// <summary>Called on a waiting entity at each scheduling step: returns true (and becomes Runnable) if something woke it.</summary>
    bool WakeIfDue(ulong now);
}

/// <summary>Priorities of the credit scheduler, highest first.</summary>
public enum CreditPriority { Idle = 0, Over = 1, Under = 2, Boost = 3 }

/// <summary>Per-entity scheduling state and time accounting. Run + Ready + CoStop + Wait = elapsed.</summary>
public sealed class SchedulingData
{
    /// <summary>Cycles on a hardware thread (guest work plus exit handling).</summary>
    public ulong RunCycles { get; internal set; }
    /// <summary>Cycles runnable but not on a hardware thread.</summary>
    public ulong ReadyCycles { get; internal set; }
    /// <summary>Cycles held back by relaxed co-scheduling because it ran ahead of its sibling vCPUs.</summary>
    public ulong CoStopCycles { get; internal set; }
    /// <summary>Cycles idle (WFI, sleeping) or stopped.</summary>
    public ulong WaitCycles { get; internal set; }

    // ---- scheduler state ----
    /// <summary>Credit (credit scheduler): positive = UNDER, spent = OVER.</summary>
    public double Credit { get; internal set; }
    /// <summary>Woke from waiting with credit left: runs before UNDER and OVER.</summary>
    public bool Boost { get; internal set; }
    /// <summary>Held back by a cap until the next accounting period.</summary>
    public bool Parked { get; internal set; }
    /// <summary>Held back by relaxed co-scheduling.</summary>
    public bool CoStopped { get; internal set; }
    /// <summary>Virtual runtime (fair-share scheduler).</summary>
    public double VirtualRuntime { get; internal set; }
    /// <summary>Which hardware thread it is on, or null.</summary>
    public int Thread { get; internal set; } = -1;
    internal ulong SliceStart;
    internal long QueueStamp;
    internal ulong RunThisStep;
    internal ulong PeriodRun;
    /// <summary>Times it was put on a hardware thread.</summary>
    public long Dispatches { get; internal set; }
}
