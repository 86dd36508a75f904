namespace VirtLab.Fleet;

/// <summary>
/// One host in one interval, for zooming in from the fleet to the mechanism: the VMs it held once
/// the interval's migrations were done, with their demand, and what the fleet model recorded for
/// the host over the interval (utilization, unmet demand). Run these VMs on VirtLab's hypervisor,
/// each with a duty cycle of its <see cref="VmSnapshot.DemandPercent"/>, and compare.
/// </summary>
/// <param name="Interval">The interval (0-based).</param>
/// <param name="Host">The host's index in <see cref="DataCenter.Hosts"/>.</param>
/// <param name="Type">The kind of server.</param>
/// <param name="Vms">Its VMs, in the order they were placed on it.</param>
/// <param name="Record">What the model recorded for the host in the interval, or null if it was off.</param>
public sealed record HostSnapshot(int Interval, int Host, HostType Type, IReadOnlyList<VmSnapshot> Vms, HostIntervalRecord? Record)
{
    /// <summary>Recorded utilization over the interval (0 when off).</summary>
    public double Utilization => Record?.Utilization ?? 0;

    /// <summary>Recorded unmet demand, in MIPS averaged over the interval.</summary>
    public double UnmetMips => Record?.UnmetMips ?? 0;

    /// <summary>What the VMs ask for together, over the host's capacity (above 1: the host is saturated).</summary>
    public double DemandOverCapacity => Vms.Sum(v => v.DemandMips) / Type.CapacityMips;
}
