namespace VirtLab.Scheduling;

/// <summary>Options of the <see cref="CreditScheduler"/> (defaults: Xen credit1).</summary>
public sealed record CreditSchedulerOptions
{
    /// <summary>Time slice and accounting period, in simulated ms: 30 (Xen's <c>CSCHED_DEFAULT_TSLICE_MS</c>).</summary>
    public double SliceMilliseconds { get; init; } = 30;
    /// <summary>Accounting tick, in simulated ms: 10 (three ticks per slice, Xen's <c>CSCHED_TICKS_PER_TSLICE</c>).</summary>
    public double TickMilliseconds { get; init; } = 10;
    /// <summary>Credits debited per tick of running: 100 (Xen: 10 credits per ms), so 300 per 30 ms slice.</summary>
    public double CreditsPerTick { get; init; } = 100;
}
