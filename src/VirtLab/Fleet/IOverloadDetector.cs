namespace VirtLab.Fleet;

/// <summary>
/// Decides whether a host is overloaded: the first step of dynamic consolidation, run for every
/// host that is on at the start of each interval. The simulator also asks it about a host with one
/// VM more before placing a VM there, so that placement does not overload the destination.
/// <example>
/// <code>
/// sealed class Busy(double limit) : IOverloadDetector
/// {
///     public string Name => $"busy-{limit}";
///     public int HistoryLength => 1;
///     public bool IsOverloaded(HostLoad host) => host.Utilization > limit;
/// }
/// </code>
/// </example>
/// </summary>
public interface IOverloadDetector
{
    /// <summary>A short name for tables ("thr-0.8", "lr-1.2", ...).</summary>
    string Name { get; }

    /// <summary>How many intervals of history, the current one included, the detector looks at (1: only now).</summary>
    int HistoryLength { get; }

    /// <summary>True when VMs should be moved off <paramref name="host"/>.</summary>
    bool IsOverloaded(HostLoad host);
}
