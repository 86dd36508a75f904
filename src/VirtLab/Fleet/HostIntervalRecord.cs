namespace VirtLab.Fleet;

/// <summary>
/// One host during one interval in which it was on: what the fleet model recorded for it. Values
/// are time-weighted over the interval; a host whose VMs migrate has pieces with different VMs.
/// </summary>
/// <param name="Interval">The interval (0-based).</param>
/// <param name="Host">The host's index in <see cref="DataCenter.Hosts"/>.</param>
/// <param name="Utilization">CPU use while on, 0..1: what the host gave its VMs over its capacity.</param>
/// <param name="DemandMips">What its VMs asked for, in MIPS (averaged over the interval).</param>
/// <param name="UnmetMips">What they asked for and did not get, in MIPS (averaged over the interval).</param>
/// <param name="OnSeconds">Seconds it was on.</param>
/// <param name="SaturatedSeconds">Seconds it was saturated: its VMs asked for more than it could give them.</param>
/// <param name="EnergyJoules">Energy it drew, in joules.</param>
/// <param name="Vms">VMs on it once the interval's migrations were done.</param>
public sealed record HostIntervalRecord(int Interval, int Host, double Utilization, double DemandMips, double UnmetMips,
    double OnSeconds, double SaturatedSeconds, double EnergyJoules, int Vms);
