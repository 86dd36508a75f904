namespace VirtLab.Memory;

/// <summary>
/// The default page-sharing scan, as ESX's: a random page of a random VM each time, so that over
/// many periods every page is looked at without any pattern a guest could play against.
/// </summary>
public sealed class RandomSharingScan : ISharingScan
{
    /// <summary>"random".</summary>
    public string Name => "random";

    /// <summary>A random VM, then a random page of it.</summary>
    public (int Vm, int Page) NextPage(IReadOnlyList<IReclaimableVm> vms, Random random)
    {
        int vm = random.Next(vms.Count);
        return (vm, random.Next(vms[vm].MaxPages));
    }
}
