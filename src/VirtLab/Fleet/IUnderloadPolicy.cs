namespace VirtLab.Fleet;

/// <summary>
/// Chooses underloaded hosts to empty and switch off: the last step of dynamic consolidation. The
/// simulator takes the hosts this policy selects one at a time, in its order, and tries to move all
/// of a host's VMs to other hosts that are on (without overloading them). If every VM finds a place
/// the host is evacuated and switched off, otherwise nothing moves. A host that has just received
/// VMs stays on, so it is skipped when its turn comes.
/// </summary>
public interface IUnderloadPolicy
{
    /// <summary>A short name for tables ("least-utilized", ...).</summary>
    string Name { get; }

    /// <summary>
    /// Leaves in <paramref name="candidates"/> (hosts that are on, not overloaded and have received no
    /// VM in this interval) the hosts to try to evacuate, in the order to try them. Remove the
    /// hosts that should stay on; an empty list evacuates nothing.
    /// </summary>
    void SelectHosts(List<HostLoad> candidates);
}
