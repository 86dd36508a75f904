namespace VirtLab.Fleet;

/// <summary>The whole fleet during one interval: how many hosts were on, what they drew, what the VMs asked for and got.</summary>
/// <param name="Interval">The interval (0-based); it starts at <c>Interval x IntervalSeconds</c>.</param>
/// <param name="HostsOn">Hosts on, averaged over the interval (a host emptied by migrations counts until its last VM has left).</param>
/// <param name="HostsWithVms">Hosts holding VMs once this interval's migrations were done.</param>
/// <param name="EnergyKwh">Energy drawn in the interval, in kWh.</param>
/// <param name="DemandMips">What all VMs asked for, in MIPS.</param>
/// <param name="UnmetMips">What they asked for and did not get because their host was saturated, in MIPS (averaged over the interval).</param>
/// <param name="SaturatedHosts">Hosts saturated at some moment of the interval.</param>
/// <param name="OverloadedHosts">Hosts the overload detector flagged at the start of the interval.</param>
/// <param name="Migrations">Migrations started at the start of the interval.</param>
public sealed record IntervalRecord(int Interval, double HostsOn, int HostsWithVms, double EnergyKwh, double DemandMips,
    double UnmetMips, int SaturatedHosts, int OverloadedHosts, int Migrations);
