namespace VirtLab.Fleet;

/// <summary>
/// The named scenario "planetlab": the data centre of Beloglazov and Buyya's PlanetLab experiments
/// (Concurrency and Computation: Practice and Experience 24(13), 2012, doi:10.1002/cpe.1867), as
/// CloudSim 3.0.3 codes it (org.cloudbus.cloudsim.examples.power: Constants, PlanetLabConstants,
/// Helper), so that VirtLab's results can be set beside the published ones. Run it on the real
/// traces (<see cref="TraceReader.ReadPlanetLab"/>) or on synthetic ones of the same shape.
/// </summary>
public static class PlanetLabScenario
{
    /// <summary>The scenario's name on the command line.</summary>
    public const string Name = "planetlab";

    /// <summary>Hosts in the data centre: 800 (PlanetLabConstants.NUMBER_OF_HOSTS).</summary>
    public const int HostCount = 800;

    /// <summary>VMs of the PlanetLab day 2011-03-03, the size the host count was chosen for.</summary>
    public const int PlanetLabDayVms = 1052;

    /// <summary>RAM of each host: 4096 MB (Constants.HOST_RAM).</summary>
    public const double HostRamMib = 4096;

    /// <summary>Each host's network link: 1 Gbit/s (Constants.HOST_BW).</summary>
    public const double HostNetworkMbps = 1000;

    /// <summary>HP ProLiant ML110 G4: 2 cores of 1860 MIPS (Xeon 3040 at 1860 MHz), 4 GB, 1 Gbit/s.</summary>
    public static HostType G4 { get; } = new("HP ProLiant ML110 G4", 2, 1860, HostRamMib, HostNetworkMbps, PowerModel.HpProLiantMl110G4);

    /// <summary>HP ProLiant ML110 G5: 2 cores of 2660 MIPS (Xeon 3075 at 2660 MHz), 4 GB, 1 Gbit/s.</summary>
    public static HostType G5 { get; } = new("HP ProLiant ML110 G5", 2, 2660, HostRamMib, HostNetworkMbps, PowerModel.HpProLiantMl110G5);

    /// <summary>
    /// The four VM types, one vCPU each (Constants.VM_MIPS, VM_RAM): Amazon EC2's High-CPU Medium,
    /// Extra Large, Small and Micro instances, with their memory halved.
    /// </summary>
    public static IReadOnlyList<VmType> VmTypes { get; } =
    [
        new("high-cpu-medium", 2500, 870),
        new("extra-large", 2000, 1740),
        new("small", 1000, 1740),
        new("micro", 500, 613),
    ];

    /// <summary>
    /// The PlanetLab data centre for <paramref name="traces"/>: <paramref name="hosts"/> hosts
    /// alternating G4 and G5, one VM per trace with the four types assigned in four equal blocks in
    /// the traces' order, and the traces' interval. <paramref name="memory"/> chooses when RAM is
    /// checked; <see cref="MemoryCheck.InitialPlacementOnly"/> is what the published figures assume.
    /// </summary>
    public static DataCenter Create(TraceSet traces, int hosts = HostCount, MemoryCheck memory = MemoryCheck.Always)
    {
        if (hosts < 1) throw new Hypervisor.ConfigurationException("hosts", $"{hosts} must be at least 1");
        int block = (traces.Traces.Count + VmTypes.Count - 1) / VmTypes.Count;   // Helper.createVmList: i / ceil(n / 4)
        return new DataCenter
        {
            Name = $"{Name} ({traces.Source})",
            Hosts = Enumerable.Range(0, hosts).Select(h => h % 2 == 0 ? G4 : G5).ToArray(),
            Vms = traces.Traces.Select((t, i) => new FleetVm(VmTypes[i / block], t)).ToArray(),
            IntervalSeconds = traces.IntervalSeconds,
            MemoryCheck = memory,
        };
    }

    /// <summary>
    /// The same data centre on synthetic traces: <paramref name="vms"/> VMs from
    /// <see cref="SyntheticTraces"/> (<paramref name="options"/> or the defaults, with that seed),
    /// and <paramref name="hosts"/> hosts, by default in the PlanetLab proportion of 800 per 1052 VMs.
    /// For scaling studies and lessons without the real data.
    /// </summary>
    public static DataCenter CreateSynthetic(int vms, int seed = 1, int? hosts = null, MemoryCheck memory = MemoryCheck.Always, SyntheticTraceOptions? options = null)
    {
        var traces = SyntheticTraces.Generate((options ?? new SyntheticTraceOptions()) with { Vms = vms, Seed = seed });
        int count = hosts ?? (int)Math.Ceiling((double)vms * HostCount / PlanetLabDayVms);
        return Create(traces, count, memory) with { Name = $"{Name}-synthetic ({vms} VMs, seed {seed})" };
    }
}
