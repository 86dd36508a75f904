namespace VirtLab.Fleet;

/// <summary>
/// Everything one simulation recorded: the headline <see cref="Metrics"/>, the fleet interval by
/// interval, every host in every interval it was on, every VM over the run, and every migration.
/// From these a lesson draws hosts on over the day, the distribution of host utilization, the
/// energy and SLA trade-off, and right-sizing (<see cref="FleetVm.MeanDemandMips"/> against the
/// allocation); <see cref="HostAt"/> zooms in on one host.
/// </summary>
public sealed class FleetRun
{
    private readonly int[] _initialPlacement;
    private readonly int[] _firstRecordOfInterval;

    internal FleetRun(DataCenter dataCenter, ConsolidationPolicy policy, FleetMetrics metrics, IReadOnlyList<IntervalRecord> intervals,
        IReadOnlyList<HostIntervalRecord> hostIntervals, IReadOnlyList<VmRecord> vms, IReadOnlyList<Migration> migrations, int[] initialPlacement)
    {
        DataCenter = dataCenter;
        Policy = policy;
        Metrics = metrics;
        Intervals = intervals;
        HostIntervals = hostIntervals;
        Vms = vms;
        Migrations = migrations;
        _initialPlacement = initialPlacement;
        _firstRecordOfInterval = new int[intervals.Count + 1];
        for (int i = 0, k = 0; k <= intervals.Count; k++)
        {
            while (i < hostIntervals.Count && hostIntervals[i].Interval < k) i++;
            _firstRecordOfInterval[k] = i;
        }
    }

    /// <summary>The data centre simulated.</summary>
    public DataCenter DataCenter { get; }

    /// <summary>The policy it ran under.</summary>
    public ConsolidationPolicy Policy { get; }

    /// <summary>Energy, SLA metrics, migrations and host counts of the whole run.</summary>
    public FleetMetrics Metrics { get; }

    /// <summary>The fleet in each interval, in order: hosts on, energy, demand, migrations.</summary>
    public IReadOnlyList<IntervalRecord> Intervals { get; }

    /// <summary>Every host in every interval in which it was on, ordered by interval then host. The utilization distribution of the hosts that are on is <c>HostIntervals.Select(r =&gt; r.Utilization)</c>.</summary>
    public IReadOnlyList<HostIntervalRecord> HostIntervals { get; }

    /// <summary>Every VM over the run, by index.</summary>
    public IReadOnlyList<VmRecord> Vms { get; }

    /// <summary>Every migration, in the order they were decided.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>The hosts on in interval <paramref name="interval"/>, by index.</summary>
    public IEnumerable<HostIntervalRecord> HostsIn(int interval)
    {
        CheckInterval(interval);
        for (int i = _firstRecordOfInterval[interval]; i < _firstRecordOfInterval[interval + 1]; i++) yield return HostIntervals[i];
    }

    /// <summary>What the model recorded for <paramref name="host"/> in <paramref name="interval"/>, or null if the host was off.</summary>
    public HostIntervalRecord? Record(int host, int interval) => HostsIn(interval).FirstOrDefault(r => r.Host == host);

    /// <summary>
    /// The host of every VM (by VM index) once the migrations of <paramref name="interval"/> were
    /// done. Interval 0 has none, so <c>PlacementAt(0)</c> is the initial placement.
    /// </summary>
    public int[] PlacementAt(int interval)
    {
        CheckInterval(interval);
        var placement = (int[])_initialPlacement.Clone();
        foreach (var m in Migrations)
        {
            if (m.Interval > interval) break;
            placement[m.Vm] = m.To;
        }
        return placement;
    }

    /// <summary>
    /// Zooms in on <paramref name="host"/> in <paramref name="interval"/>: its VMs (once the
    /// interval's migrations were done) with their demand and share, and what the model recorded.
    /// </summary>
    public HostSnapshot HostAt(int host, int interval)
    {
        if (host < 0 || host >= DataCenter.Hosts.Count) throw new ArgumentOutOfRangeException(nameof(host), $"{host} is not a host of {DataCenter.Name} (0..{DataCenter.Hosts.Count - 1})");
        var placement = PlacementAt(interval);
        var type = DataCenter.Hosts[host];
        var vms = Enumerable.Range(0, placement.Length).Where(v => placement[v] == host).ToArray();
        var demand = vms.Select(v => DataCenter.Vms[v].DemandMips(interval)).ToArray();
        var grant = new double[vms.Length];
        CpuShare.Grant(type, demand, vms.Select(v => DataCenter.Vms[v].Type.Vcpus).ToArray(), grant);
        var snapshots = vms.Select((v, i) => new VmSnapshot(v, DataCenter.Vms[v], DataCenter.Vms[v].Trace.CpuPercent[interval], demand[i], grant[i])).ToArray();
        return new HostSnapshot(interval, host, type, snapshots, Record(host, interval));
    }

    private void CheckInterval(int interval)
    {
        if (interval < 0 || interval >= Intervals.Count) throw new ArgumentOutOfRangeException(nameof(interval), $"{interval} is not an interval of the run (0..{Intervals.Count - 1})");
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Policy.Name} on {DataCenter.Name}: {Metrics.EnergyKwh:0.0} kWh, {Metrics.Migrations} migrations, SLATAH {Metrics.SlatahPercent:0.00} %, PDM {Metrics.PdmPercent:0.000} %";
}
