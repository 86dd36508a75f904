namespace VirtLab.Fleet;

/// <summary>Worst fit: each VM goes to the host with the most free CPU, spreading the load (and keeping many hosts on).</summary>
public sealed class WorstFit : IPlacementPolicy
{
    /// <inheritdoc/>
    public string Name => "wf";

    /// <inheritdoc/>
    public int ChooseHost(VmLoad vm, IReadOnlyList<HostLoad> candidates)
    {
        int best = -1;
        for (int i = 0; i < candidates.Count; i++)
            if (best < 0 || candidates[i].FreeMips > candidates[best].FreeMips) best = i;
        return best;
    }
}
