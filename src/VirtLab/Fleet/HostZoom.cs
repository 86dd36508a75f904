using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Fleet;

/// <summary>
/// From fleet to mechanism: replays one host of a fleet run on VirtLab's real hypervisor, to check
/// the fleet model's abstraction against the credit scheduler.
/// <para>
/// The fleet model says a host shares its CPU in proportion and nothing is lost until its VMs ask
/// for more than it has. The replay runs each VM of the host as a guest whose duty cycle follows
/// its trace value (the guest kernel's <see cref="WorkloadKind.Bursty"/> workload: compute for some
/// timer ticks, sleep for the rest of the period), twice: once on a hypervisor with the host's cores,
/// shared, and once with a core per VM, as if each had a server of its own. The difference is what
/// sharing cost each VM: the operations it did not complete, the time it waited ready, its
/// slowdown. Queueing shows here even where the model, which works with 5-minute means, sees none.
/// </para>
/// <example>
/// <code>
/// var run = FleetSimulation.Run(dataCenter, ConsolidationPolicy.Thr(0.8));
/// var zoom = HostZoom.Run(HostZoom.Busiest(run));
/// zoom.Table                      // per VM: model served %, measured served %, ready %, slowdown
/// </code>
/// </example>
/// </summary>
public static class HostZoom
{
    /// <summary>Sampling period of the two runs, in simulated ms.</summary>
    private const double SampleMilliseconds = 10;

    /// <summary>Cycles per ms of a 3 GHz core: the real hardware the published exit costs were measured on.</summary>
    private const double RealCyclesPerMillisecond = 3_000_000;

    /// <summary>
    /// The busiest host of <paramref name="run"/>: the host and interval whose VMs asked for the most
    /// CPU over the host's capacity, among hosts holding at least <paramref name="minVms"/> VMs, or
    /// within <paramref name="interval"/> if given. Throws <see cref="ArgumentException"/> if no host qualifies.
    /// </summary>
    public static HostSnapshot Busiest(FleetRun run, int minVms = 2, int? interval = null)
    {
        var records = interval is int k ? run.HostsIn(k) : run.HostIntervals;
        var best = records.Where(r => r.Vms >= minVms)
            .OrderByDescending(r => r.DemandMips / run.DataCenter.Hosts[r.Host].CapacityMips).ThenBy(r => r.Interval).ThenBy(r => r.Host)
            .FirstOrDefault() ?? throw new ArgumentException($"no host of the run held {minVms} or more VMs{(interval is null ? "" : $" in interval {interval}")}");
        return run.HostAt(best.Host, best.Interval);
    }

    /// <summary>
    /// The guest workload that stands for <paramref name="vm"/> on a host of <paramref name="host"/>
    /// cores: busy for its demand's share of one core, of a period of <paramref name="periodTicks"/>
    /// timer ticks. A VM that asks for a whole core or more is busy all the time.
    /// </summary>
    public static Workload DutyCycle(VmSnapshot vm, HostType host, int periodTicks)
    {
        double duty = Math.Clamp(vm.DemandMips / (vm.Info.Type.Vcpus * host.MipsPerCore), 0, 1);
        uint busy = (uint)Math.Round(duty * periodTicks);
        return Workload.Bursty(busy, (uint)periodTicks - busy);
    }

    /// <summary>
    /// Replays <paramref name="snapshot"/> on the hypervisor (two runs: shared and a core each) and
    /// sets the measurement beside the model. Throws <see cref="ConfigurationException"/> for invalid
    /// options or a host with no VMs, or more vCPUs than a VirtLab host can have cores.
    /// </summary>
    public static HostZoomResult Run(HostSnapshot snapshot, HostZoomOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        if (snapshot.Vms.Count == 0) throw new ConfigurationException("host", $"host {snapshot.Host} holds no VMs in interval {snapshot.Interval}");
        int vcpus = snapshot.Vms.Sum(v => v.Info.Type.Vcpus);
        if (vcpus > HostConfig.MaxCores)
            throw new ConfigurationException("host", $"host {snapshot.Host}'s {vcpus} vCPUs need more than the {HostConfig.MaxCores} cores a VirtLab host can have for the baseline run");

        var vms = snapshot.Vms.Select((v, i) => new VmConfig
        {
            Name = v.Info.Name,
            Vcpus = v.Info.Type.Vcpus,
            Workload = DutyCycle(v, snapshot.Type, options.PeriodTicks + i),
            TickMilliseconds = options.TickMilliseconds,
        }).ToList();
        RunOutcome RunOn(int cores, IProgress<double>? part) => ExperimentRunner.Run(new ExperimentSpec
        {
            Host = new HostConfig { Cores = cores, RamPages = 4096 + vms.Sum(v => v.MemoryPages), Costs = options.ScaleExitCosts ? Scaled(new CostModel()) : new CostModel() },
            Vms = vms,
            DurationMilliseconds = options.DurationMilliseconds,
            SampleMilliseconds = SampleMilliseconds,
            Seed = options.Seed,
        }, part);
        var slices = new ProgressSlices(progress, 2);
        var shared = RunOn(Math.Min(snapshot.Type.Cores, HostConfig.MaxCores), slices.Slice(0));
        slices.Completed(1);
        var alone = RunOn(vcpus, slices.Slice(1));
        slices.Completed(2);

        var (first, last, start) = Window(shared.HostSamples.Select(s => s.TimeMilliseconds).ToList(), options.WarmupMilliseconds);
        double window = shared.HostSamples[last].TimeMilliseconds - start;
        var rows = new List<HostZoomVm>();
        double opsShared = 0, opsAlone = 0;
        for (int i = 0; i < snapshot.Vms.Count; i++)
        {
            var vm = snapshot.Vms[i];
            var s = Delta(shared.SamplesOf(vms[i].Name), first, last);
            var a = Delta(alone.SamplesOf(vms[i].Name), first, last);
            opsShared += s.Ops;
            opsAlone += a.Ops;
            var duty = vms[i].Workload;
            rows.Add(new HostZoomVm(vm.Info.Name, vm.DemandPercent, vm.DemandMips, Measure.Percent(duty.Arg0, duty.Arg0 + duty.Arg1),
                vm.DemandMips > 0 ? Measure.Percent(vm.GrantedMips, vm.DemandMips) : 100, Measure.Percent(s.Ops, a.Ops),
                Measure.Percent(s.WaitedMilliseconds, window * vms[i].Vcpus), s.Ops > 0 ? a.Ops / s.Ops : double.PositiveInfinity));
        }
        double busy = shared.HostSamples[last].BusyMilliseconds - (first < 0 ? 0 : shared.HostSamples[first].BusyMilliseconds);
        double utilization = busy / (window * shared.Host.Config.Cores);
        return new HostZoomResult(snapshot, options, rows, utilization, opsAlone > 0 ? 100 - Measure.Percent(opsShared, opsAlone) : 0, shared, alone);
    }

    /// <summary>Exit costs at VirtLab's time scale: the published cycles times simulated cycles per ms over a 3 GHz core's.</summary>
    private static CostModel Scaled(CostModel c)
    {
        double f = new HostConfig().CyclesPerMillisecond / RealCyclesPerMillisecond;
        ulong S(ulong cycles) => (ulong)Math.Round(cycles * f);
        return new CostModel
        {
            VmExitCycles = S(c.VmExitCycles), EmulateInstructionCycles = S(c.EmulateInstructionCycles), HypercallCycles = S(c.HypercallCycles),
            MmioEmulationCycles = S(c.MmioEmulationCycles), GuestPageFaultCycles = S(c.GuestPageFaultCycles), TouchFaultCycles = S(c.TouchFaultCycles),
            SwapInCycles = S(c.SwapInCycles), InterruptInjectionCycles = S(c.InterruptInjectionCycles), WorldSwitchCycles = S(c.WorldSwitchCycles),
            HostKernelRoundTripCycles = S(c.HostKernelRoundTripCycles),
        };
    }

    /// <summary>
    /// The measured window: the index of the last sample at or before <paramref name="warmup"/> (-1
    /// for the start of the run) and its time, and the index of the last sample. Both runs sample at
    /// the same times, so the indices serve every VM's series.
    /// </summary>
    private static (int First, int Last, double Start) Window(IReadOnlyList<double> times, double warmup)
    {
        int first = -1;
        for (int i = 0; i < times.Count && times[i] <= warmup + 1e-9; i++) first = i;
        return (first, times.Count - 1, first < 0 ? 0 : times[first]);
    }

    /// <summary>Operations completed, and ms waited ready or co-stopped, between sample <paramref name="first"/> (-1: the start) and <paramref name="last"/>.</summary>
    private static (double Ops, double WaitedMilliseconds) Delta(IReadOnlyList<VmSample> samples, int first, int last)
    {
        var end = samples[last];
        if (first < 0) return (end.Progress, end.ReadyMilliseconds + end.CoStopMilliseconds);
        var begin = samples[first];
        return ((double)end.Progress - begin.Progress, end.ReadyMilliseconds + end.CoStopMilliseconds - begin.ReadyMilliseconds - begin.CoStopMilliseconds);
    }
}
