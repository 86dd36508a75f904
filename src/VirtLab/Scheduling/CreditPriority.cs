namespace VirtLab.Scheduling;

/// <summary>
/// Priorities of the <see cref="CreditScheduler"/>, lowest first (Xen credit1's
/// <c>CSCHED_PRI_IDLE</c>, <c>TS_OVER</c>, <c>TS_UNDER</c>, <c>TS_BOOST</c>).
/// </summary>
public enum CreditPriority
{
    /// <summary>Nothing to run: below every entity.</summary>
    Idle = 0,
    /// <summary>Has spent its credit for this period: runs only when nothing better wants the thread.</summary>
    Over = 1,
    /// <summary>Has credit left.</summary>
    Under = 2,
    /// <summary>Just woke from waiting with credit left: runs before everyone else until its next tick on a thread.</summary>
    Boost = 3,
}
