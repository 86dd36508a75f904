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
