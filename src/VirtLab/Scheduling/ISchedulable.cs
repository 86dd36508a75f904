namespace VirtLab.Scheduling;

/// <summary>
/// Anything a scheduler puts on a hardware thread: a vCPU, or (on a Type 2 host) one of the host
/// OS's own processes. The host creates them; a scheduler reads <see cref="Name"/>,
/// <see cref="Group"/>, <see cref="Weight"/>, <see cref="CapPercent"/>, <see cref="State"/> and
/// <see cref="Sched"/> to decide, and must never call <see cref="Run"/> or <see cref="WakeIfDue"/>:
/// those are the host's, and calling them from a policy would run a guest outside its schedule.
/// </summary>
public interface ISchedulable
{
    /// <summary>For tables and error messages: "web/vcpu0", "host/indexer".</summary>
    string Name { get; }
    /// <summary>The VM it belongs to (its id), or -1 for host work. Weights and caps are per group.</summary>
    int Group { get; }
    /// <summary>Proportional-share weight (Xen: 1..65535, default 256).</summary>
    int Weight { get; }
    /// <summary>Cap in percent of one hardware thread for the whole group; 0 = no cap.</summary>
    int CapPercent { get; }
    /// <summary>Runnable, waiting or stopped.</summary>
    RunState State { get; }
    /// <summary>The host's accounting for it (run, ready, co-stop and wait time; its thread; dispatches).</summary>
    SchedulingData Sched { get; }
    /// <summary>What it has recently done to a core's pipeline and cache (for the SMT model).</summary>
    ExecutionProfile Profile { get; }
    /// <summary>
    /// Host only. Runs on a hardware thread from <paramref name="now"/> for at most <paramref name="budget"/>
    /// cycles, retiring about <paramref name="ipc"/> instructions per cycle. Returns the cycles used
    /// (never more than the budget); the state may change to Waiting or Stopped.
    /// </summary>
    ulong Run(ulong now, ulong budget, double ipc);
    /// <summary>Host only. Called on a waiting entity at each scheduling step: returns true (and becomes Runnable) if something woke it.</summary>
    bool WakeIfDue(ulong now);
}
