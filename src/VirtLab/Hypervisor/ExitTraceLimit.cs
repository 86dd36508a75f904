namespace VirtLab.Hypervisor;

/// <summary>What an <see cref="ExitTrace"/> does once it holds as many exits as it may.</summary>
public enum ExitTraceLimit
{
    /// <summary>Keep the first exits and record no more: the trace shows how the guest began.</summary>
    KeepFirst,
    /// <summary>A ring: each new exit pushes out the oldest, so the trace shows the most recent ones.</summary>
    KeepLast,
}
