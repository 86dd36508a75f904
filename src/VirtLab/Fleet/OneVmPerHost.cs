namespace VirtLab.Fleet;

/// <summary>
/// No virtualization: every VM gets a host of its own, as each workload had its own server before
/// consolidation. The baseline that shows what virtualization saves. It needs as many hosts as VMs.
/// </summary>
public sealed class OneVmPerHost : IPlacementPolicy
{
    /// <inheritdoc/>
    public string Name => "one-per-host";

    /// <inheritdoc/>
    public int ChooseHost(VmLoad vm, IReadOnlyList<HostLoad> candidates)
    {
        for (int i = 0; i < candidates.Count; i++)
            if (candidates[i].VmCount == 0) return i;
        return -1;
    }
}
