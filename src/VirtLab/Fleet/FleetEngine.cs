using VirtLab.Hypervisor;

namespace VirtLab.Fleet;

/// <summary>
/// The simulator behind <see cref="FleetSimulation.Run"/>. Time advances one interval at a time;
/// at the start of each interval (from the second on) consolidation plans migrations against the
/// demand of that interval, then the interval is played out in pieces between migration ends.
/// </summary>
internal sealed class FleetEngine
{
    private const double Epsilon = 1e-9;
    private const double JoulesPerKwh = 3.6e6;

    private readonly DataCenter _dc;
    private readonly ConsolidationPolicy _policy;
    private readonly IOverloadDetector? _detector;
    private readonly int _intervals;
    private readonly double _dt;
    private readonly HostState[] _hosts;
    private readonly HostType[] _types;
    private readonly Dictionary<HostType, SortedSet<int>> _offByType = new();
    private readonly List<int> _on = new();          // hosts holding VMs, by index
    // When RAM is always checked, the hosts holding VMs by free RAM, so that a search looks only at
    // hosts with room (on a fleet bound by memory most hosts have none). Otherwise every host that
    // is on is looked at.
    private readonly SortedSet<(double Free, int Host)> _byFreeRam = new();
    private readonly bool _indexByRam;
    private readonly List<int> _roomy = new();
    private readonly int[] _hostOf;
    private readonly double[] _demand;
    private readonly double[][] _cpu;
    private readonly double[] _vmMips;
    private readonly int[] _vcpus;
    private readonly int _historyLength;
    private readonly double[] _scratchHistory;
    private readonly List<HostLoad> _candidates = new();
    private readonly List<int> _offFirst = new();

    // What the run records.
    private readonly List<Migration> _migrations = new();
    private readonly List<IntervalRecord> _intervalRecords = new();
    private readonly List<HostIntervalRecord> _hostRecords = new();
    private readonly double[] _hostOnSeconds, _hostSaturatedSeconds;
    private readonly double[] _vmRequested, _vmUnmet, _vmLoss;
    private readonly int[] _vmMigrations;
    private int[] _initialPlacement = [];
    private double _utilizationSeconds;
    private int _maxHostsOn;

    // Scratch space for playing out a host: when each VM migrating this interval arrives, the cuts
    // of the interval, and the VMs present in one piece with what they ask for and get.
    private readonly double[] _arrival;
    private readonly List<double> _cuts = new();
    private int[] _present = new int[16];
    private double[] _asked = new double[16];
    private int[] _vcpuOf = new int[16];
    private double[] _grant = new double[16];

    public FleetEngine(DataCenter dc, ConsolidationPolicy policy)
    {
        dc.Validate();
        policy.Validate();
        _dc = dc;
        _policy = policy;
        _detector = policy.Overload;
        _indexByRam = dc.MemoryCheck == MemoryCheck.Always;
        _intervals = dc.IntervalCount;
        _dt = dc.IntervalSeconds;
        _historyLength = Math.Max(1, _detector?.HistoryLength ?? 1);
        _scratchHistory = new double[_historyLength];
        _hosts = new HostState[dc.Hosts.Count];
        var types = new List<HostType>();
        for (int h = 0; h < _hosts.Length; h++)
        {
            var type = dc.Hosts[h];
            _hosts[h] = new HostState(h, type, _historyLength);
            if (!_offByType.TryGetValue(type, out var off))
            {
                _offByType[type] = off = new SortedSet<int>();
                types.Add(type);
            }
            off.Add(h);
        }
        _types = types.ToArray();
        int n = dc.Vms.Count;
        _hostOf = new int[n];
        _demand = new double[n];
        _cpu = new double[n][];
        _vmMips = new double[n];
        _vcpus = new int[n];
        for (int v = 0; v < n; v++)
        {
            _hostOf[v] = -1;
            _cpu[v] = dc.Vms[v].Trace.CpuValues;
            _vmMips[v] = dc.Vms[v].Type.TotalMips;
            _vcpus[v] = dc.Vms[v].Type.Vcpus;
        }
        _hostOnSeconds = new double[_hosts.Length];
        _hostSaturatedSeconds = new double[_hosts.Length];
        _vmRequested = new double[n];
        _vmUnmet = new double[n];
        _vmLoss = new double[n];
        _vmMigrations = new int[n];
        _arrival = new double[n];
    }

    public FleetRun Run(IProgress<double>? progress)
    {
        PlaceInitially();
        for (int k = 0; k < _intervals; k++)
        {
            int firstMigration = _migrations.Count;
            int overloaded = 0;
            MeasureDemand(k);
            // The first interval runs as the initial placement left it, as in CloudSim, whose first
            // consolidation comes one scheduling interval after the VMs are created.
            if (_policy.IsDynamic && k > 0) overloaded = Consolidate(k);
            PlayOut(k, firstMigration, overloaded);
            progress?.Report((k + 1.0) / _intervals);
        }
        return new FleetRun(_dc, _policy, Metrics(), _intervalRecords, _hostRecords, VmRecords(), _migrations, _initialPlacement);
    }

    // ---- Initial placement: by allocation, RAM always checked, no overload detection. ----

    private void PlaceInitially()
    {
        var vms = new List<VmLoad>(_dc.Vms.Count);
        for (int v = 0; v < _dc.Vms.Count; v++) vms.Add(new VmLoad(v, _dc.Vms[v], _vmMips[v], -1, 0));
        _policy.InitialPlacement.Order(vms);
        foreach (var vm in vms)
        {
            int host = FindHost(vm, _policy.InitialPlacement, allowOff: true, checkRam: true, checkDetector: false, interval: 0);
            if (host < 0)
                throw new ConfigurationException("hosts",
                    $"the initial placement ({_policy.InitialPlacement.Name}) found no host for vm {vm.Info.Name} ({vm.Info.Type}); " +
                    $"{_on.Count} of the {_hosts.Length} hosts hold VMs, {_dc.Vms.Count} VMs in all");
            Add(_hosts[host], vm.Vm, vm.Mips);
        }
        _initialPlacement = (int[])_hostOf.Clone();
    }

    // ---- Demand and history at the start of an interval. ----

    private void MeasureDemand(int k)
    {
        for (int v = 0; v < _demand.Length; v++) _demand[v] = _cpu[v][k] * _vmMips[v] / 100;
        foreach (int h in _on)
        {
            var host = _hosts[h];
            host.ClearMarks();
            double mips = 0;
            foreach (int v in host.Vms) mips += _demand[v];
            host.Mips = mips;
            host.Watts = host.Type.Power.Watts(mips / host.Type.CapacityMips);
            if (_detector is null) continue;
            int count = HistoryCountAt(k);
            int first = k - count + 1;
            var history = host.History;
            Array.Clear(history, 0, count);
            double capacity = host.Type.CapacityMips;
            foreach (int v in host.Vms)
            {
                double scale = _vmMips[v] / 100 / capacity;
                var cpu = _cpu[v];
                for (int j = 0; j < count; j++) history[j] += cpu[first + j] * scale;
            }
            host.HistoryCount = count;
        }
        foreach (var host in _hosts) if (host.Vms.Count == 0) host.ClearMarks();
    }

    // ---- Dynamic consolidation. Returns how many hosts were overloaded. ----

    private int Consolidate(int k)
    {
        var placement = _policy.Placement!;
        int overloadedCount = 0;
        if (_detector is not null)
        {
            var overloaded = new List<HostState>();
            foreach (int h in _on)
                if (_detector.IsOverloaded(Load(_hosts[h], k)))
                {
                    _hosts[h].Overloaded = true;
                    overloaded.Add(_hosts[h]);
                }
            overloadedCount = overloaded.Count;

            // Take VMs off each overloaded host until the detector is satisfied.
            var selection = _policy.VmSelection!;
            var leaving = new List<VmLoad>();
            var onHost = new List<VmLoad>();
            foreach (var host in overloaded)
            {
                while (host.Vms.Count > 0)
                {
                    onHost.Clear();
                    foreach (int v in host.Vms) onHost.Add(VmLoadOf(v, host));
                    int i = selection.ChooseVm(Load(host, k), onHost);
                    if (i < 0) break;
                    if (i >= onHost.Count) throw new InvalidOperationException($"vm selection {selection.Name} chose VM {i} of {onHost.Count}");
                    leaving.Add(onHost[i]);
                    Remove(host, onHost[i].Vm, k);
                    if (!_detector.IsOverloaded(Load(host, k))) break;
                }
            }

            // Place them elsewhere; a VM no host can take stays where it was.
            placement.Order(leaving);
            foreach (var vm in leaving)
            {
                var from = _hosts[vm.Host];
                int to = FindHost(vm, placement, allowOff: true, checkRam: _dc.MemoryCheck == MemoryCheck.Always, checkDetector: true, interval: k);
                if (to < 0)
                {
                    Add(from, vm.Vm, vm.Mips, k);
                    continue;
                }
                Add(_hosts[to], vm.Vm, vm.Mips, k);
                _hosts[to].Received = true;
                Record(k, vm.Vm, from, _hosts[to], MigrationReason.Overload);
            }
        }
        if (_policy.Underload is not null) EvacuateUnderloaded(k, placement);
        return overloadedCount;
    }

    private void EvacuateUnderloaded(int k, IPlacementPolicy placement)
    {
        var underload = _policy.Underload!;
        var candidates = new List<HostLoad>();
        foreach (int h in _on)
        {
            var host = _hosts[h];
            if (!host.Overloaded && !host.Received) candidates.Add(Load(host, k));
        }
        underload.SelectHosts(candidates);

        var vms = new List<VmLoad>();
        var moved = new List<(VmLoad Vm, HostState To)>();
        var saved = new Dictionary<HostState, HostState.Saved>();
        bool checkRam = _dc.MemoryCheck == MemoryCheck.Always;
        foreach (var candidate in candidates)
        {
            // A host that has taken VMs from one evacuated before it stays on.
            var source = _hosts[candidate.Host];
            if (source.Received || source.Tried || source.Vms.Count == 0) continue;
            source.Tried = true;
            source.Evacuating = true;
            if (checkRam && !EveryVmHasRoomSomewhere(source)) continue;
            vms.Clear();
            foreach (int v in source.Vms) vms.Add(VmLoadOf(v, source));
            placement.Order(vms);
            moved.Clear();
            saved.Clear();
            saved[source] = source.Save();
            bool all = true;
            foreach (var vm in vms)
            {
                int to = FindHost(vm, placement, allowOff: false, checkRam, checkDetector: true, interval: k);
                if (to < 0) { all = false; break; }
                var destination = _hosts[to];
                if (!saved.ContainsKey(destination)) saved[destination] = destination.Save();
                Remove(source, vm.Vm, k);
                Add(destination, vm.Vm, vm.Mips, k);
                moved.Add((vm, destination));
            }
            source.Evacuating = false;
            if (all)
            {
                source.Evacuated = true;
                foreach (var (vm, to) in moved)
                {
                    to.Received = true;
                    Record(k, vm.Vm, source, to, MigrationReason.Underload);
                }
            }
            else
            {
                // Move the VMs back, then put every touched host back exactly as it was (order of
                // its VMs, and sums that moving out and in again could change in the last bit).
                foreach (var (vm, to) in moved)
                {
                    Remove(to, vm.Vm, k);
                    Add(source, vm.Vm, vm.Mips, k);
                }
                foreach (var (host, state) in saved)
                {
                    host.Restore(state);
                    Reindex(host);
                }
            }
        }
    }

    /// <summary>
    /// False when some VM of <paramref name="source"/> needs more RAM than any other host that is on
    /// has free: the evacuation would fail, so it is not tried. On a fleet bound by memory this
    /// spares almost every attempt; the outcome is the same.
    /// </summary>
    private bool EveryVmHasRoomSomewhere(HostState source)
    {
        double most = 0;
        var top = _byFreeRam.Max;
        if (top.Host != source.Index && !Excluded(_hosts[top.Host])) most = top.Free;
        else
            foreach (var (free, h) in _byFreeRam.Reverse())
                if (h != source.Index && !Excluded(_hosts[h])) { most = free; break; }
        foreach (int v in source.Vms)
            if (_dc.Vms[v].Type.RamMib > most + Epsilon) return false;
        return true;
    }

    private void Record(int k, int vm, HostState from, HostState to, MigrationReason reason)
    {
        double seconds = _dc.MigrationSeconds(_dc.Vms[vm].Type, from.Type, to.Type);
        _migrations.Add(new Migration(k, vm, from.Index, to.Index, seconds, reason));
        _vmMigrations[vm]++;
    }

    // ---- Choosing a host. ----

    /// <summary>
    /// Offers <paramref name="placement"/> every host that can take <paramref name="vm"/> (in index
    /// order; of the switched-off hosts only the first of each type) and returns its choice, or -1.
    /// </summary>
    private int FindHost(VmLoad vm, IPlacementPolicy placement, bool allowOff, bool checkRam, bool checkDetector, int interval)
    {
        _candidates.Clear();
        _offFirst.Clear();
        if (allowOff)
        {
            foreach (var type in _types)
                foreach (int h in _offByType[type])
                    if (!Excluded(_hosts[h])) { _offFirst.Add(h); break; }
            _offFirst.Sort();
        }
        var roomy = _on;
        if (_indexByRam)
        {
            _roomy.Clear();
            foreach (var (_, h) in _byFreeRam.GetViewBetween((vm.RamMib - Epsilon, int.MinValue), (double.PositiveInfinity, int.MaxValue))) _roomy.Add(h);
            _roomy.Sort();
            roomy = _roomy;
        }
        int a = 0, b = 0;
        while (a < roomy.Count || b < _offFirst.Count)
        {
            int h = b >= _offFirst.Count || (a < roomy.Count && roomy[a] < _offFirst[b]) ? roomy[a++] : _offFirst[b++];
            var host = _hosts[h];
            if (h == vm.Host || Excluded(host) || !Fits(host, vm, checkRam)) continue;
            _candidates.Add(Load(host, interval));
        }
        // The detector is asked about the host the policy chose; if it would be overloaded with the
        // VM, that host is taken out and the policy asks again. After a few refusals the detector
        // is asked about every remaining host at once, since best fit keeps choosing hosts near the
        // threshold. For a policy that picks the best host by a fixed criterion this gives the same
        // host as asking about every host first, and is far cheaper when the first choice is fine.
        for (int refusals = 0; ; refusals++)
        {
            if (refusals == EagerAfterRefusals) RemoveOverloaded(vm, interval);
            int i = placement.ChooseHost(vm, _candidates);
            if (i < 0) return -1;
            if (i >= _candidates.Count) throw new InvalidOperationException($"placement {placement.Name} chose host {i} of {_candidates.Count}");
            var chosen = _hosts[_candidates[i].Host];
            if (!checkDetector || refusals >= EagerAfterRefusals || !Overloads(chosen, vm, interval)) return chosen.Index;
            _candidates.RemoveAt(i);
        }
    }

    /// <summary>Refusals by the detector after which <see cref="FindHost"/> filters all candidates at once.</summary>
    private const int EagerAfterRefusals = 3;

    /// <summary>True when the detector would call <paramref name="host"/> overloaded with <paramref name="vm"/> on it too (never for an empty host).</summary>
    private bool Overloads(HostState host, VmLoad vm, int interval) =>
        _detector is not null && host.Vms.Count > 0 && _detector.IsOverloaded(LoadWith(host, vm, interval));

    private void RemoveOverloaded(VmLoad vm, int interval)
    {
        int kept = 0;
        for (int i = 0; i < _candidates.Count; i++)
            if (!Overloads(_hosts[_candidates[i].Host], vm, interval)) _candidates[kept++] = _candidates[i];
        _candidates.RemoveRange(kept, _candidates.Count - kept);
    }

    /// <summary>Hosts that may not receive VMs in this interval: overloaded ones, and those being emptied.</summary>
    private static bool Excluded(HostState host) => host.Overloaded || host.Evacuating || host.Evacuated;

    private bool Fits(HostState host, VmLoad vm, bool checkRam)
    {
        var type = host.Type;
        int vcpus = _vcpus[vm.Vm];
        return vcpus <= type.Cores
            && vm.Mips / vcpus <= type.MipsPerCore + Epsilon
            && host.Mips + vm.Mips <= type.CapacityMips + Epsilon
            && (!checkRam || host.RamMib + vm.RamMib <= type.RamMib + Epsilon);
    }

    // ---- Moving VMs in the plan. ----

    private void Add(HostState host, int v, double mips, int interval = -1)
    {
        if (host.Vms.Count == 0)
        {
            _offByType[host.Type].Remove(host.Index);
            int at = _on.BinarySearch(host.Index);
            _on.Insert(~at, host.Index);
        }
        host.Vms.Add(v);
        host.Mips += mips;
        host.Watts = host.Type.Power.Watts(host.Mips / host.Type.CapacityMips);
        host.RamMib += _dc.Vms[v].Type.RamMib;
        Reindex(host);
        host.LongestMigrationSeconds = Math.Max(host.LongestMigrationSeconds, MigrationSecondsFrom(host, v));
        _hostOf[v] = host.Index;
        if (interval >= 0 && _detector is not null)
        {
            host.HistoryCount = HistoryCountAt(interval);
            AddHistory(host.History, host, v, interval, +1);
        }
    }

    private void Remove(HostState host, int v, int interval)
    {
        host.Vms.Remove(v);
        host.Mips -= _demand[v];
        host.Watts = host.Type.Power.Watts(host.Mips / host.Type.CapacityMips);
        host.RamMib -= _dc.Vms[v].Type.RamMib;
        if (_detector is not null) AddHistory(host.History, host, v, interval, -1);
        host.LongestMigrationSeconds = 0;
        foreach (int other in host.Vms) host.LongestMigrationSeconds = Math.Max(host.LongestMigrationSeconds, MigrationSecondsFrom(host, other));
        if (host.Vms.Count == 0)
        {
            host.Mips = host.Watts = 0;
            host.RamMib = 0;
            Array.Clear(host.History);
            _on.RemoveAt(_on.BinarySearch(host.Index));
            _offByType[host.Type].Add(host.Index);
        }
        Reindex(host);
        _hostOf[v] = -1;
    }

    /// <summary>Puts <paramref name="host"/> back in <see cref="_byFreeRam"/> under the RAM it has free now (or takes it out when empty).</summary>
    private void Reindex(HostState host)
    {
        if (!_indexByRam) return;
        if (host.Indexed) _byFreeRam.Remove((host.IndexedFree, host.Index));
        host.Indexed = host.Vms.Count > 0;
        if (!host.Indexed) return;
        host.IndexedFree = host.Type.RamMib - host.RamMib;
        _byFreeRam.Add((host.IndexedFree, host.Index));
    }

    /// <summary>Adds <paramref name="sign"/> x VM <paramref name="v"/>'s utilization history on <paramref name="host"/> to <paramref name="history"/>.</summary>
    private void AddHistory(double[] history, HostState host, int v, int k, int sign)
    {
        int count = HistoryCountAt(k);
        int first = k - count + 1;
        double scale = sign * _vmMips[v] / 100 / host.Type.CapacityMips;
        var cpu = _cpu[v];
        for (int j = 0; j < count; j++) history[j] += cpu[first + j] * scale;
    }

    /// <summary>Samples of history at interval <paramref name="k"/>: the detector's length, fewer early in the run.</summary>
    private int HistoryCountAt(int k) => Math.Min(k + 1, _historyLength);

    private double MigrationSecondsFrom(HostState host, int v) =>
        _dc.Vms[v].Type.RamMib * 8 / (host.Type.NetworkMbps * _dc.MigrationBandwidthShare);

    private HostLoad Load(HostState host, int interval) =>
        new(host.Index, host.Type, host.Mips, host.RamMib, host.Vms.Count, new ArraySegment<double>(host.History, 0, host.HistoryCount),
            host.LongestMigrationSeconds, interval, _dt, host.Watts);

    /// <summary>The host as it would be with <paramref name="vm"/> on it too.</summary>
    private HostLoad LoadWith(HostState host, VmLoad vm, int interval)
    {
        int count = HistoryCountAt(interval);
        Array.Copy(host.History, _scratchHistory, count);
        AddHistory(_scratchHistory, host, vm.Vm, interval, +1);
        return new(host.Index, host.Type, host.Mips + vm.Mips, host.RamMib + vm.RamMib, host.Vms.Count + 1,
            new ArraySegment<double>(_scratchHistory, 0, count),
            Math.Max(host.LongestMigrationSeconds, MigrationSecondsFrom(host, vm.Vm)), interval, _dt, double.NaN);
    }

    private VmLoad VmLoadOf(int v, HostState host) => new(v, _dc.Vms[v], _demand[v], host.Index, MigrationSecondsFrom(host, v));

    // ---- Playing out an interval. ----

    /// <summary>
    /// Runs interval <paramref name="k"/>: every host that is on, or has VMs leaving, is played out
    /// in pieces between the ends of its migrations. A VM migrating out runs on its old host,
    /// degraded, until its migration ends, then on its new host; the new host is on from the
    /// start of the interval (it is receiving).
    /// </summary>
    private void PlayOut(int k, int firstMigration, int overloaded)
    {
        var outgoing = new Dictionary<int, List<Migration>>();
        for (int i = firstMigration; i < _migrations.Count; i++)
        {
            var m = _migrations[i];
            (outgoing.TryGetValue(m.From, out var list) ? list : outgoing[m.From] = new()).Add(m);
            _arrival[m.Vm] = m.Seconds;
        }
        var played = new List<int>(_on);
        foreach (int h in outgoing.Keys) if (_hosts[h].Vms.Count == 0) played.Add(h);
        played.Sort();

        double energy = 0, demand = 0, unmet = 0, onSeconds = 0;
        int saturatedHosts = 0, hostsOnAtStart = 0;
        foreach (int h in played)
        {
            var result = PlayHost(_hosts[h], outgoing.GetValueOrDefault(h), k);
            energy += result.EnergyJoules;
            demand += result.DemandMips;
            unmet += result.UnmetMips;
            onSeconds += result.OnSeconds;
            if (result.SaturatedSeconds > 0) saturatedHosts++;
            if (result.OnSeconds > 0) hostsOnAtStart++;
        }
        for (int i = firstMigration; i < _migrations.Count; i++) _arrival[_migrations[i].Vm] = 0;

        double hostsOn = onSeconds / _dt;
        if (!_policy.PowerAware)
        {
            // NPA: every host of the data centre at full power, whatever it runs.
            energy = 0;
            foreach (var host in _hosts) energy += host.Type.Power.PeakWatts * _dt;
            hostsOn = hostsOnAtStart = _hosts.Length;
        }
        _maxHostsOn = Math.Max(_maxHostsOn, hostsOnAtStart);
        _intervalRecords.Add(new IntervalRecord(k, hostsOn, _on.Count, energy / JoulesPerKwh, demand, unmet, saturatedHosts, overloaded,
            _migrations.Count - firstMigration));
    }

    /// <summary>Plays one host through interval <paramref name="k"/>; records and returns what it did.</summary>
    private HostIntervalRecord PlayHost(HostState host, List<Migration>? outgoing, int k)
    {
        // The pieces of the interval: [0, dt) cut where a VM arrives or leaves.
        _cuts.Clear();
        _cuts.Add(0);
        foreach (int v in host.Vms) if (_arrival[v] > 0) _cuts.Add(_arrival[v]);
        if (outgoing is not null) foreach (var m in outgoing) _cuts.Add(m.Seconds);
        _cuts.Sort();
        _cuts.Add(_dt);

        int most = host.Vms.Count + (outgoing?.Count ?? 0);
        if (_asked.Length < most)
        {
            int size = Math.Max(most, 2 * _asked.Length);
            _present = new int[size];
            _asked = new double[size];
            _vcpuOf = new int[size];
            _grant = new double[size];
        }
        double energy = 0, onSeconds = 0, saturatedSeconds = 0, demandSeconds = 0, unmetSeconds = 0, grantedSeconds = 0;
        for (int c = 0; c + 1 < _cuts.Count; c++)
        {
            double t0 = _cuts[c], length = _cuts[c + 1] - t0;
            if (length <= 0) continue;
            // Present: VMs that have arrived, and leaving VMs still here (those are migrating).
            int count = 0, staying;
            bool receiving = false;
            foreach (int v in host.Vms)
            {
                if (_arrival[v] <= t0) _present[count++] = v;
                else receiving = true;
            }
            staying = count;
            if (outgoing is not null)
                foreach (var m in outgoing)
                    if (m.Seconds > t0) _present[count++] = m.Vm;
            if (count == 0 && !receiving) continue;

            for (int i = 0; i < count; i++) { _asked[i] = _demand[_present[i]]; _vcpuOf[i] = _vcpus[_present[i]]; }
            double granted = CpuShare.Grant(host.Type, _asked.AsSpan(0, count), _vcpuOf.AsSpan(0, count), _grant.AsSpan(0, count));
            double askedTotal = 0, unmetTotal = 0;
            for (int i = 0; i < count; i++)
            {
                int v = _present[i];
                double missing = _asked[i] - _grant[i];
                askedTotal += _asked[i];
                unmetTotal += missing;
                _vmRequested[v] += _asked[i] * length;
                _vmUnmet[v] += missing * length;
                if (i >= staying) _vmLoss[v] += _dc.MigrationDegradation * _grant[i] * length;
            }
            double utilization = Math.Min(1, granted / host.Type.CapacityMips);
            energy += (_policy.PowerAware ? host.Type.Power.Watts(utilization) : host.Type.Power.PeakWatts) * length;
            onSeconds += length;
            grantedSeconds += utilization * length;
            demandSeconds += askedTotal * length;
            unmetSeconds += unmetTotal * length;
            if (unmetTotal > Epsilon * Math.Max(1, askedTotal)) saturatedSeconds += length;
        }
        _hostOnSeconds[host.Index] += onSeconds;
        _hostSaturatedSeconds[host.Index] += saturatedSeconds;
        _utilizationSeconds += grantedSeconds;
        var record = new HostIntervalRecord(k, host.Index, onSeconds > 0 ? grantedSeconds / onSeconds : 0, demandSeconds / _dt, unmetSeconds / _dt,
            onSeconds, saturatedSeconds, energy, host.Vms.Count);
        if (onSeconds > 0) _hostRecords.Add(record);
        return record;
    }

    // ---- Totals. ----

    private FleetMetrics Metrics()
    {
        double slatahSum = 0, onTotal = 0, saturatedTotal = 0;
        int hostsEverOn = 0;
        for (int h = 0; h < _hosts.Length; h++)
        {
            if (_hostOnSeconds[h] <= 0) continue;
            hostsEverOn++;
            slatahSum += _hostSaturatedSeconds[h] / _hostOnSeconds[h];
            onTotal += _hostOnSeconds[h];
            saturatedTotal += _hostSaturatedSeconds[h];
        }
        double pdmSum = 0, requested = 0, lost = 0, unmet = 0;
        for (int v = 0; v < _vmRequested.Length; v++)
        {
            if (_vmRequested[v] > 0) pdmSum += _vmLoss[v] / _vmRequested[v];
            requested += _vmRequested[v];
            lost += _vmLoss[v];
            unmet += _vmUnmet[v];
        }
        double energy = 0, hostsOn = 0;
        foreach (var r in _intervalRecords) { energy += r.EnergyKwh; hostsOn += r.HostsOn; }
        return new FleetMetrics
        {
            EnergyKwh = energy,
            Migrations = _migrations.Count,
            SlatahPercent = hostsEverOn > 0 ? 100 * slatahSum / hostsEverOn : 0,
            PdmPercent = 100 * pdmSum / _vmRequested.Length,
            SlatahPooledPercent = onTotal > 0 ? 100 * saturatedTotal / onTotal : 0,
            PdmPooledPercent = requested > 0 ? 100 * lost / requested : 0,
            UnmetPercent = requested > 0 ? 100 * unmet / requested : 0,
            MeanHostsOn = _intervalRecords.Count > 0 ? hostsOn / _intervalRecords.Count : 0,
            MaxHostsOn = _maxHostsOn,
            MeanUtilizationOfHostsOn = onTotal > 0 ? _utilizationSeconds / onTotal : 0,
        };
    }

    private List<VmRecord> VmRecords()
    {
        var records = new List<VmRecord>(_vmRequested.Length);
        for (int v = 0; v < _vmRequested.Length; v++)
            records.Add(new VmRecord(v, _vmRequested[v], _vmUnmet[v], _vmLoss[v], _vmMigrations[v]));
        return records;
    }
}
