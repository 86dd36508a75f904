namespace VirtLab.Fleet;

/// <summary>
/// What a policy sees of one VM when it decides: which VM, the MIPS and RAM it takes, and how long
/// moving it would take.
/// </summary>
public readonly struct VmLoad
{
    internal VmLoad(int vm, FleetVm info, double mips, int host, double migrationSeconds)
    {
        Vm = vm;
        Info = info;
        Mips = mips;
        Host = host;
        MigrationSeconds = migrationSeconds;
    }

    /// <summary>The VM's index in <see cref="DataCenter.Vms"/>.</summary>
    public int Vm { get; }

    /// <summary>The VM: its name, type and trace (which holds its past demand too).</summary>
    public FleetVm Info { get; }

    /// <summary>MIPS it takes: its demand now, or its whole allocation at the initial placement.</summary>
    public double Mips { get; }

    /// <summary>RAM it holds, in MiB.</summary>
    public double RamMib => Info.Type.RamMib;

    /// <summary>The host it is on, or -1 before the initial placement.</summary>
    public int Host { get; }

    /// <summary>Seconds a live migration of it from its host would take (its RAM over the link's migration share); 0 before it is placed.</summary>
    public double MigrationSeconds { get; }

    /// <inheritdoc/>
    public override string ToString() => $"vm {Vm} ({Info.Name}): {Mips:0} MIPS, {RamMib:0} MiB";
}
