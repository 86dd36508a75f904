namespace VirtLab.Fleet;

/// <summary>
/// A kind of VM, as a cloud sells it: vCPUs of a given speed and an amount of RAM. This is the
/// VM's allocation; what it really uses comes from its trace.
/// </summary>
/// <param name="Name">For tables: "small", "m1.large".</param>
/// <param name="Mips">Speed of each vCPU, in MIPS (a trace's 100 % is all vCPUs at this speed).</param>
/// <param name="RamMib">RAM, in MiB: what has to fit on the host and what live migration copies.</param>
/// <param name="Vcpus">Virtual CPUs (default 1).</param>
public sealed record VmType(string Name, double Mips, double RamMib, int Vcpus = 1)
{
    /// <summary>The whole allocation: vCPUs x MIPS.</summary>
    public double TotalMips => Vcpus * Mips;

    /// <summary>Throws a <see cref="Hypervisor.ConfigurationException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new Hypervisor.ConfigurationException("vm type", "needs a name");
        if (!(Mips > 0 && double.IsFinite(Mips))) throw new Hypervisor.ConfigurationException($"vm type {Name}: mips", $"{Mips} must be positive");
        if (!(RamMib > 0 && double.IsFinite(RamMib))) throw new Hypervisor.ConfigurationException($"vm type {Name}: ram-mib", $"{RamMib} must be positive");
        if (Vcpus < 1) throw new Hypervisor.ConfigurationException($"vm type {Name}: vcpus", $"{Vcpus} must be at least 1");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Vcpus} x {Mips:0} MIPS, {RamMib:0} MiB";
}
