using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>
/// Runs an <see cref="ExperimentSpec"/> and records a time series per VM and one for the host. Every
/// built-in experiment runs its hosts through here, and a notebook's own experiment does the same:
/// <example>
/// <code>
/// var outcome = ExperimentRunner.Run(new ExperimentSpec
/// {
///     Host = new HostConfig { Cores = 2 },
///     Vms = [new VmConfig { Name = "web", Workload = Workload.Io() }, new VmConfig { Name = "batch", Workload = Workload.Cpu() }],
///     DurationMilliseconds = 500,
/// });
/// outcome.SamplesOf("web")[^1].ReadyMilliseconds
/// </code>
/// </example>
/// </summary>
public static class ExperimentRunner
{
    /// <summary>The columns of the per-VM series (<see cref="VmSample"/>'s, in order).</summary>
    public static IReadOnlyList<string> VmColumns { get; } = Table.ColumnsOf<VmSample>();

    /// <summary>The columns of the host series (<see cref="HostSample"/>'s, in order).</summary>
    public static IReadOnlyList<string> HostColumns { get; } = Table.ColumnsOf<HostSample>();

    /// <summary>
    /// Runs <paramref name="spec"/>. Same spec, same results, always. <paramref name="progress"/>
    /// gets the fraction done after each sample, and 1 at the end. Throws
    /// <see cref="ConfigurationException"/> for an invalid configuration.
    /// </summary>
    public static RunOutcome Run(ExperimentSpec spec, IProgress<double>? progress = null)
    {
        if (!(spec.DurationMilliseconds > 0)) throw new ConfigurationException("duration-ms", $"{spec.DurationMilliseconds} must be positive");
        if (!(spec.SampleMilliseconds > 0)) throw new ConfigurationException("sample-ms", $"{spec.SampleMilliseconds} must be positive");
        foreach (var name in spec.Programs.Keys)
            if (!spec.Vms.Any(v => v.Name == name)) throw new ConfigurationException("programs", $"there is no VM called '{name}' to boot a program");
        var host = new Host(spec.Host with { Seed = spec.Seed });
        for (int i = 0; i < spec.Vms.Count; i++)
        {
            var vm = spec.Vms[i];
            vm.Validate(string.IsNullOrWhiteSpace(vm.Name) ? $"vm[{i}]" : vm.Name);
            if (spec.Programs.TryGetValue(vm.Name, out var program)) host.CreateVm(vm, program);
            else host.CreateVm(vm);
        }
        spec.Setup?.Invoke(host);
        var vmSamples = new List<VmSample>();
        var hostSamples = new List<HostSample>();
        double msPerCycle = 1.0 / spec.Host.CyclesPerMillisecond;
        ulong lastBusy = 0, lastCapacity = 0;
        for (double t = 0; t < spec.DurationMilliseconds - 1e-9;)
        {
            double step = Math.Min(spec.SampleMilliseconds, spec.DurationMilliseconds - t);
            host.RunFor(step);
            t += step;
            foreach (var vm in host.Vms) vmSamples.Add(SampleOf(vm, host, msPerCycle));
            ulong busy = host.BusyCycles, capacity = host.CapacityCycles;
            double utilization = capacity > lastCapacity ? (double)(busy - lastBusy) / (capacity - lastCapacity) : 0;
            hostSamples.Add(new HostSample(Math.Round(host.NowMilliseconds, 6), utilization, busy * msPerCycle, host.Frames.FreeFrames, host.ReservedPages,
                host.Vms.Sum(v => v.Memory.MappedPages), host.ReclamationState.ToString().ToLowerInvariant(), host.SwapArea?.UsedPages ?? 0));
            lastBusy = busy; lastCapacity = capacity;
            spec.AfterSample?.Invoke(host);
            bool done = t >= spec.DurationMilliseconds - 1e-9 || spec.StopWhen?.Invoke(host) == true;
            progress?.Report(done ? 1 : t / spec.DurationMilliseconds);
            if (done) break;
        }
        return new RunOutcome(host, vmSamples, hostSamples);
    }

    // ---- The per-VM series: one VmSample per VM per sample, read from the mechanisms' own counters.
    //      A column is added here and in VmSample, at the same position. ----
    private static VmSample SampleOf(VirtualMachine vm, Host host, double msPerCycle)
    {
        var e = vm.Exits;
        ulong run = 0, ready = 0, costop = 0, wait = 0;
        foreach (var v in vm.Vcpus) { run += v.Sched.RunCycles; ready += v.Sched.ReadyCycles; costop += v.Sched.CoStopCycles; wait += v.Sched.WaitCycles; }
        return new VmSample(Math.Round(host.NowMilliseconds, 6), vm.Name, vm.Instructions, vm.Progress,
            run * msPerCycle, ready * msPerCycle, costop * msPerCycle, wait * msPerCycle,
            e[VmExitReason.CsrAccess], e[VmExitReason.PrivilegedInstruction], e[VmExitReason.Wfi], e.InFamily(VmExitReason.Mmio),
            e[VmExitReason.Hypercall], e.InFamily(VmExitReason.GuestPageFault), e[VmExitReason.Timer], e[VmExitReason.GuestException],
            e.TotalCycles, vm.Memory.MappedPages, vm.Memory.Pages, vm.Config.MinPages, vm.Memory.BalloonedPages, vm.Memory.SwappedPages,
            vm.Memory.SharedPages, vm.Memory.CountPages(PageState.Untouched), vm.Balloon.Target, vm.Memory.SwapOuts, vm.Memory.SwapIns,
            e.CyclesInFamily(VmExitReason.GuestPageFault) * msPerCycle, vm.SwapInStallCycles * msPerCycle,
            vm.IsStopped ? vm.StopReason ?? "stopped" : "");
    }
}
