namespace VirtLab.Fleet;

/// <summary>First fit: each VM goes to the lowest-numbered host that can take it. Simple, and what CloudSim's non-migrating baselines use.</summary>
public sealed class FirstFit : IPlacementPolicy
{
    /// <inheritdoc/>
    public string Name => "ff";

    /// <inheritdoc/>
    public int ChooseHost(VmLoad vm, IReadOnlyList<HostLoad> candidates) => candidates.Count > 0 ? 0 : -1;
}
