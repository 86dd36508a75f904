namespace VirtLab.Fleet;

/// <summary>
/// A kind of physical server in the fleet: its cores and their speed in MIPS, its RAM, its network
/// link (which live migration uses) and its power model.
/// </summary>
/// <param name="Name">For tables: "HP ProLiant ML110 G5".</param>
/// <param name="Cores">Physical cores. A VM never has more vCPUs than the host has cores.</param>
/// <param name="MipsPerCore">Speed of one core, in millions of instructions per second. One vCPU runs on one core at a time, so a VM's vCPU never gets more than this.</param>
/// <param name="RamMib">RAM for VMs, in MiB.</param>
/// <param name="NetworkMbps">Speed of the host's network link, in Mbit/s.</param>
/// <param name="Power">Watts at each load, for energy.</param>
public sealed record HostType(string Name, int Cores, double MipsPerCore, double RamMib, double NetworkMbps, PowerModel Power)
{
    /// <summary>The whole CPU: cores x MIPS per core.</summary>
    public double CapacityMips => Cores * MipsPerCore;

    /// <summary>Throws a <see cref="Hypervisor.ConfigurationException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new Hypervisor.ConfigurationException("host type", "needs a name");
        if (Cores < 1) throw new Hypervisor.ConfigurationException($"host type {Name}: cores", $"{Cores} must be at least 1");
        if (!(MipsPerCore > 0 && double.IsFinite(MipsPerCore))) throw new Hypervisor.ConfigurationException($"host type {Name}: mips-per-core", $"{MipsPerCore} must be positive");
        if (!(RamMib > 0 && double.IsFinite(RamMib))) throw new Hypervisor.ConfigurationException($"host type {Name}: ram-mib", $"{RamMib} must be positive");
        if (!(NetworkMbps > 0 && double.IsFinite(NetworkMbps))) throw new Hypervisor.ConfigurationException($"host type {Name}: network-mbps", $"{NetworkMbps} must be positive");
        if (Power is null) throw new Hypervisor.ConfigurationException($"host type {Name}: power", "needs a power model");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Cores} x {MipsPerCore:0} MIPS, {RamMib:0} MiB";
}
