namespace VirtLab.Fleet;

/// <summary>
/// Power-aware best fit decreasing (PABFD, Beloglazov and Buyya 2012, Algorithm 1): the VMs are
/// placed biggest first, each on the host whose power grows least. Switching a host on costs its
/// idle power, so a VM goes to a host that is already on whenever one can take it.
/// <para>
/// CloudSim's code measures the growth of a switched-off host from its idle power, as if it were
/// already on, so it switches hosts on more readily; VirtLab counts what the host really adds.
/// </para>
/// </summary>
public sealed class PowerAwareBestFitDecreasing : IPlacementPolicy
{
    /// <inheritdoc/>
    public string Name => "bfd";

    /// <inheritdoc/>
    public void Order(List<VmLoad> vms) =>
        vms.Sort((a, b) => a.Mips != b.Mips ? b.Mips.CompareTo(a.Mips) : a.Vm.CompareTo(b.Vm));

    /// <inheritdoc/>
    public int ChooseHost(VmLoad vm, IReadOnlyList<HostLoad> candidates)
    {
        int best = -1;
        double least = double.PositiveInfinity;
        for (int i = 0; i < candidates.Count; i++)
        {
            double increase = candidates[i].PowerIncreaseWatts(vm.Mips);
            if (increase < least)
            {
                least = increase;
                best = i;
            }
        }
        return best;
    }
}
