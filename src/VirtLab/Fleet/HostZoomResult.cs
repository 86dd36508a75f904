using VirtLab.Experiments;

namespace VirtLab.Fleet;

/// <summary>
/// What <see cref="HostZoom.Run"/> found: the fleet model's view of one host in one interval beside
/// the hypervisor's measurement of the same VMs, per VM (<see cref="Vms"/>) and for the host.
/// </summary>
public sealed class HostZoomResult
{
    internal HostZoomResult(HostSnapshot snapshot, HostZoomOptions options, IReadOnlyList<HostZoomVm> vms,
        double utilization, double unmetPercent, RunOutcome shared, RunOutcome alone)
    {
        Snapshot = snapshot;
        Options = options;
        Vms = vms;
        Utilization = utilization;
        UnmetPercent = unmetPercent;
        Shared = shared;
        Alone = alone;
    }

    /// <summary>The host and interval replayed, with what the fleet model recorded.</summary>
    public HostSnapshot Snapshot { get; }

    /// <summary>The options of the replay.</summary>
    public HostZoomOptions Options { get; }

    /// <summary>Each VM, model and measurement side by side.</summary>
    public IReadOnlyList<HostZoomVm> Vms { get; }

    /// <summary><see cref="Vms"/> as a table (columns of <see cref="HostZoomVm"/>).</summary>
    public Table Table => Table.From(Vms, "zoom");

    /// <summary>Measured: the share of the host's cores its VMs kept busy on the shared host (guest work and exits), 0..1, after the warm-up.</summary>
    public double Utilization { get; }

    /// <summary>Measured: operations the VMs together did not complete on the shared host, against a core each, in percent: the hypervisor's unmet demand.</summary>
    public double UnmetPercent { get; }

    /// <summary>The model's utilization of this host when these VMs run together all interval (their grants over its capacity), 0..1.</summary>
    public double ModelUtilization => Snapshot.Vms.Sum(v => v.GrantedMips) / Snapshot.Type.CapacityMips;

    /// <summary>The model's unmet demand of these VMs together, in percent of their demand.</summary>
    public double ModelUnmetPercent => Measure.Percent(Snapshot.Vms.Sum(v => v.UnmetMips), Snapshot.Vms.Sum(v => v.DemandMips));

    /// <summary>Measured: CPU ready averaged over the VMs, in percent.</summary>
    public double MeanReadyPercent => Vms.Count == 0 ? 0 : Vms.Average(v => v.ReadyPercent);

    /// <summary>The run of the VMs sharing the host's cores (<see cref="HostType.Cores"/>).</summary>
    public RunOutcome Shared { get; }

    /// <summary>The baseline run: the same VMs with one core each, as if each had a server of its own.</summary>
    public RunOutcome Alone { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"host {Snapshot.Host} in interval {Snapshot.Interval}: model {ModelUtilization:P0} busy, {ModelUnmetPercent:0.#} % unmet; hypervisor {Utilization:P0} busy, {UnmetPercent:0.#} % unmet, ready {MeanReadyPercent:0.#} %");
}
