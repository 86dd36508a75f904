namespace VirtLab.Fleet;

/// <summary>
/// Chooses which VM to move off an overloaded host. The simulator asks again after each choice,
/// with the chosen VM gone, until the detector no longer calls the host overloaded.
/// </summary>
public interface IVmSelectionPolicy
{
    /// <summary>A short name for tables ("mmt", ...).</summary>
    string Name { get; }

    /// <summary>The index in <paramref name="vms"/> (the VMs still on <paramref name="host"/>) of the VM to move, or -1 to move no more.</summary>
    int ChooseVm(HostLoad host, IReadOnlyList<VmLoad> vms);
}
