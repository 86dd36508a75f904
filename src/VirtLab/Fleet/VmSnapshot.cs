namespace VirtLab.Fleet;

/// <summary>One VM on a host in one interval, as the zoom-in needs it: what it asked for and what the host's share gave it.</summary>
/// <param name="Vm">The VM's index in <see cref="DataCenter.Vms"/>.</param>
/// <param name="Info">The VM: name, type, trace.</param>
/// <param name="DemandPercent">Its trace value in the interval: percent of its own MIPS (a guest's duty cycle).</param>
/// <param name="DemandMips">What it asked for, in MIPS.</param>
/// <param name="GrantedMips">What the host's proportional share gives it when these VMs run together all interval, in MIPS.</param>
public sealed record VmSnapshot(int Vm, FleetVm Info, double DemandPercent, double DemandMips, double GrantedMips)
{
    /// <summary>What it asked for and did not get, in MIPS.</summary>
    public double UnmetMips => DemandMips - GrantedMips;
}
