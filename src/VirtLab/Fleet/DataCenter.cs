using VirtLab.Hypervisor;

namespace VirtLab.Fleet;

/// <summary>
/// What a fleet simulation runs on: the physical hosts (each of a <see cref="HostType"/>), the VMs
/// with their traces, the length of an interval, and the rules of live migration. Build one by hand
/// for a small hand-checkable fleet, or take a named scenario such as <see cref="PlanetLabScenario"/>.
/// </summary>
public sealed record DataCenter
{
    /// <summary>
    /// Share of a host's network link that live migration may use: half, the other half carrying
    /// the VMs' own traffic (CloudSim's PowerDatacenter, after Beloglazov and Buyya 2012).
    /// </summary>
    public const double DefaultMigrationBandwidthShare = 0.5;

    /// <summary>
    /// Fraction of a VM's CPU lost while it migrates: 10 %, the figure Beloglazov and Buyya (2012,
    /// section 6.3) take from Voorsluys et al. (2009), who measured a web server during live migration.
    /// </summary>
    public const double DefaultMigrationDegradation = 0.1;

    /// <summary>A name for tables and reports.</summary>
    public string Name { get; init; } = "data centre";

    /// <summary>The physical hosts, by index. A host is switched on only while it holds VMs.</summary>
    public required IReadOnlyList<HostType> Hosts { get; init; }

    /// <summary>The VMs, by index, in the order they are first placed.</summary>
    public required IReadOnlyList<FleetVm> Vms { get; init; }

    /// <summary>Seconds per interval: how long a trace value lasts, and how often consolidation runs. Default 300.</summary>
    public double IntervalSeconds { get; init; } = TraceSet.PlanetLabIntervalSeconds;

    /// <summary>Intervals to simulate; 0 (the default) means the whole length of the traces.</summary>
    public int Intervals { get; init; }

    /// <summary>When placement checks RAM (default: always).</summary>
    public MemoryCheck MemoryCheck { get; init; } = MemoryCheck.Always;

    /// <summary>Share of the network link that live migration uses (default <see cref="DefaultMigrationBandwidthShare"/>).</summary>
    public double MigrationBandwidthShare { get; init; } = DefaultMigrationBandwidthShare;

    /// <summary>Fraction of its CPU a VM loses while it migrates (default <see cref="DefaultMigrationDegradation"/>).</summary>
    public double MigrationDegradation { get; init; } = DefaultMigrationDegradation;

    /// <summary>The number of intervals a run covers: <see cref="Intervals"/>, or the traces' length.</summary>
    public int IntervalCount => Intervals > 0 ? Intervals : Vms.Count > 0 ? Vms[0].Trace.Length : 0;

    /// <summary>Seconds the whole run covers.</summary>
    public double DurationSeconds => IntervalCount * IntervalSeconds;

    /// <summary>
    /// Seconds to live-migrate a VM of type <paramref name="vm"/> from a host of type
    /// <paramref name="from"/> to one of type <paramref name="to"/>: its RAM over the migration's share
    /// of the slower link. 870 MiB over half of 1 Gbit/s: 13.9 s.
    /// </summary>
    public double MigrationSeconds(VmType vm, HostType from, HostType to) =>
        vm.RamMib * 8 / (Math.Min(from.NetworkMbps, to.NetworkMbps) * MigrationBandwidthShare);

    /// <summary>
    /// Throws a <see cref="ConfigurationException"/> naming the first thing that cannot run: no hosts
    /// or VMs, a bad type, traces of different lengths, or a migration that could not finish within
    /// one interval (the model moves each VM at most once per interval).
    /// </summary>
    public void Validate()
    {
        if (Hosts is null || Hosts.Count == 0) throw new ConfigurationException("hosts", "a data centre needs at least one host");
        if (Vms is null || Vms.Count == 0) throw new ConfigurationException("vms", "a data centre needs at least one VM");
        if (!(IntervalSeconds > 0 && double.IsFinite(IntervalSeconds))) throw new ConfigurationException("interval-seconds", $"{IntervalSeconds} must be positive");
        if (!(MigrationBandwidthShare > 0 && MigrationBandwidthShare <= 1)) throw new ConfigurationException("migration-bandwidth-share", $"{MigrationBandwidthShare} is not a fraction in (0, 1]");
        if (!(MigrationDegradation >= 0 && MigrationDegradation <= 1)) throw new ConfigurationException("migration-degradation", $"{MigrationDegradation} is not a fraction in [0, 1]");
        foreach (var type in Hosts.Distinct()) type.Validate();
        foreach (var type in Vms.Select(v => v.Type).Distinct()) type.Validate();
        int length = Vms[0].Trace.Length;
        foreach (var vm in Vms)
            if (vm.Trace.Length != length)
                throw new ConfigurationException("vms", $"vm {vm.Name}'s trace has {vm.Trace.Length} intervals, vm {Vms[0].Name}'s has {length}");
        if (Intervals < 0 || Intervals > length) throw new ConfigurationException("intervals", $"{Intervals} is not between 0 (all) and the traces' {length}");
        double slowestLink = Hosts.Min(h => h.NetworkMbps);
        var biggest = Vms.MaxBy(v => v.Type.RamMib)!;
        double longest = biggest.Type.RamMib * 8 / (slowestLink * MigrationBandwidthShare);
        if (longest > IntervalSeconds)
            throw new ConfigurationException("interval-seconds",
                $"migrating vm {biggest.Name} ({biggest.Type.RamMib:0} MiB) over {slowestLink * MigrationBandwidthShare:0.#} Mbit/s takes {longest:0.#} s, longer than the {IntervalSeconds:0.#} s interval; use faster links or longer intervals");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Hosts.Count} hosts, {Vms.Count} VMs, {IntervalCount} x {IntervalSeconds:0.#} s";
}
