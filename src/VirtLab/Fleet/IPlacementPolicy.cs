namespace VirtLab.Fleet;

/// <summary>
/// Chooses a host for each VM to be placed: all VMs at the start, then the VMs that dynamic
/// consolidation moves. The simulator offers only hosts the VM fits on (its RAM and CPU fit, and it
/// has no more vCPUs than the host has cores, nor asks a vCPU for more than a core gives); the
/// policy picks one by its own criterion. During consolidation, if the overload detector would
/// call the chosen host overloaded with the VM on it, the simulator takes that host out of the
/// list and asks again.
/// <example>
/// A student's policy, the emptiest host first:
/// <code>
/// sealed class Emptiest : IPlacementPolicy
/// {
///     public string Name => "emptiest";
///     public int ChooseHost(VmLoad vm, IReadOnlyList&lt;HostLoad&gt; candidates) =>
///         candidates.Count == 0 ? -1 : Enumerable.Range(0, candidates.Count).MinBy(i => candidates[i].Utilization);
/// }
/// </code>
/// </example>
/// </summary>
public interface IPlacementPolicy
{
    /// <summary>A short name for tables ("ff", "bfd", ...).</summary>
    string Name { get; }

    /// <summary>
    /// Puts the VMs about to be placed in the order to place them (best fit decreasing sorts the
    /// biggest first). The default keeps the order given: the data centre's order of VMs.
    /// </summary>
    void Order(List<VmLoad> vms) { }

    /// <summary>
    /// The index in <paramref name="candidates"/> of the host to put <paramref name="vm"/> on, or -1
    /// to leave it where it is (unplaced, at the start). Candidates come in order of host index; a
    /// switched-off host is offered once per host type (the lowest-numbered of that type), since the
    /// others of the type are the same.
    /// </summary>
    int ChooseHost(VmLoad vm, IReadOnlyList<HostLoad> candidates);
}
