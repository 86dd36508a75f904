namespace VirtLab.Fleet;

/// <summary>
/// How a host's CPU is shared among the VMs on it, the one rule both the simulator and the
/// zoom-in's snapshots use. A vCPU runs on one core at a time, so a VM gets at most
/// <c>vCPUs x MIPS per core</c>; if the VMs together ask for more than the host has, each gets the
/// same fraction of what it asked for (a proportional-share scheduler, as CloudSim's
/// VmSchedulerTimeSharedOverSubscription).
/// </summary>
internal static class CpuShare
{
    /// <summary>Writes each VM's grant into <paramref name="grant"/>; returns the total granted.</summary>
    public static double Grant(HostType host, ReadOnlySpan<double> demand, ReadOnlySpan<int> vcpus, Span<double> grant)
    {
        double asked = 0;
        for (int i = 0; i < demand.Length; i++)
        {
            grant[i] = Math.Min(demand[i], vcpus[i] * host.MipsPerCore);
            asked += grant[i];
        }
        if (asked <= host.CapacityMips) return asked;
        double scale = host.CapacityMips / asked;
        for (int i = 0; i < demand.Length; i++) grant[i] *= scale;
        return host.CapacityMips;
    }
}
