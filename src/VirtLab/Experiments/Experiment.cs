using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>An experiment: a host, its VMs and their workloads, how long to run, and how often to sample.</summary>
public sealed record ExperimentSpec
{
    public HostConfig Host { get; init; } = new();
    public IReadOnlyList<VmConfig> Vms { get; init; } = [];
    /// <summary>Simulated milliseconds to run.</summary>
    public double DurationMilliseconds { get; init; } = 200;
    /// <summary>Simulated milliseconds between rows of the time series.</summary>
    public double SampleMilliseconds { get; init; } = 10;
    public int Seed { get; init; } = 1;
    /// <summary>
    /// Called once after the VMs are created and before time starts, to set up what a VM
    /// configuration cannot say (for example a balloon target the operator sets by hand).
    /// </summary>
    public Action<Host>? Setup { get; init; }
}

/// <summary>The outcome of one run: the host at the end and the time series.</summary>
public sealed record RunOutcome(Host Host, Table VmSeries, Table HostSeries);

/// <summary>Runs an <see cref="ExperimentSpec"/> and records time series per VM and for the host.</summary>
public static class ExperimentRunner
{
    /// <summary>
    /// Columns of the per-VM series. Times and counters are cumulative since the start. The memory
    /// columns are read from <see cref="Memory.GuestMemory"/>'s own accounting at each sample:
    /// <c>mapped + ballooned + swapped + shared + untouched = max_pages</c> (while the VM runs; a
    /// stopped VM has given everything back, so all its pages are untouched). <c>balloon_target</c>
    /// is what the host asked the balloon driver for; <c>ballooned_pages</c> is what the driver gave.
    /// <c>fault_stall_ms</c> is the time the VM's vCPUs spent in second-stage page faults (exit,
    /// frame allocation, and swap-in reads); <c>swap_stall_ms</c> is the swap-in part of it.
    /// </summary>
    public static readonly string[] VmColumns =
    [
        "time_ms", "vm", "instructions", "progress", "run_ms", "ready_ms", "costop_ms", "wait_ms",
        "exits_csr", "exits_priv", "exits_wfi", "exits_mmio", "exits_hypercall", "exits_page_fault", "exits_timer", "exits_guest_exception",
        "exit_cycles", "mapped_pages", "max_pages", "min_pages", "ballooned_pages", "swapped_pages", "shared_pages", "untouched_pages",
        "balloon_target", "swap_outs", "swap_ins", "fault_stall_ms", "swap_stall_ms", "stopped",
    ];

    /// <summary>
    /// Columns of the host series: CPU utilization over the last sample, free frames, the
    /// reclamation state the policy last saw (high, soft, hard, low) and the pages in the host swap area.
    /// </summary>
    public static readonly string[] HostColumns =
        ["time_ms", "utilization", "busy_ms", "free_frames", "reserved_frames", "vm_mapped_pages", "reclamation_state", "swap_used_pages"];

    /// <summary>
    /// Runs <paramref name="spec"/>. Same spec, same results, always. <paramref name="progress"/>
    /// gets the fraction done after each sample (for long runs). Throws
    /// <see cref="ConfigurationException"/> for an invalid configuration.
    /// </summary>
    public static RunOutcome Run(ExperimentSpec spec, IProgress<double>? progress = null)
    {
        if (spec.DurationMilliseconds <= 0) throw new ConfigurationException("duration-ms", $"{spec.DurationMilliseconds} must be positive");
        if (spec.SampleMilliseconds <= 0) throw new ConfigurationException("sample-ms", $"{spec.SampleMilliseconds} must be positive");
        var host = new Host(spec.Host with { Seed = spec.Seed });
        for (int i = 0; i < spec.Vms.Count; i++)
        {
            var vm = spec.Vms[i];
            vm.Validate(string.IsNullOrWhiteSpace(vm.Name) ? $"vm[{i}]" : vm.Name);
            host.CreateVm(vm);
        }
        spec.Setup?.Invoke(host);
        var vmSeries = new Table("vm_series", VmColumns);
        var hostSeries = new Table("host_series", HostColumns);
        double msPerCycle = 1.0 / spec.Host.CyclesPerMillisecond;
        ulong lastBusy = 0, lastCapacity = 0;
        for (double t = 0; t < spec.DurationMilliseconds - 1e-9;)
        {
            double step = Math.Min(spec.SampleMilliseconds, spec.DurationMilliseconds - t);
            host.RunFor(step);
            t += step;
            foreach (var vm in host.Vms)
            {
                var e = vm.Exits;
                ulong run = 0, ready = 0, costop = 0, wait = 0;
                foreach (var v in vm.Vcpus) { run += v.Sched.RunCycles; ready += v.Sched.ReadyCycles; costop += v.Sched.CoStopCycles; wait += v.Sched.WaitCycles; }
                vmSeries.Add(Math.Round(host.NowMilliseconds, 6), vm.Name, vm.Instructions, vm.Progress,
                    run * msPerCycle, ready * msPerCycle, costop * msPerCycle, wait * msPerCycle,
                    e[VmExitReason.CsrAccess], e[VmExitReason.PrivilegedInstruction], e[VmExitReason.Wfi], e.InFamily(VmExitReason.Mmio),
                    e[VmExitReason.Hypercall], e.InFamily(VmExitReason.GuestPageFault), e[VmExitReason.Timer], e[VmExitReason.GuestException],
                    e.TotalCycles, vm.Memory.MappedPages, vm.Memory.Pages, vm.Config.MinPages, vm.Memory.BalloonedPages, vm.Memory.SwappedPages,
                    vm.Memory.SharedPages, vm.Memory.CountPages(PageState.Untouched), (long)vm.Balloon.Target, vm.Memory.SwapOuts, vm.Memory.SwapIns,
                    e.CyclesInFamily(VmExitReason.GuestPageFault) * msPerCycle, vm.SwapInStallCycles * msPerCycle,
                    vm.IsStopped ? vm.StopReason ?? "stopped" : "");
            }
            ulong busy = host.BusyCycles, capacity = host.CapacityCycles;
            double util = capacity > lastCapacity ? (double)(busy - lastBusy) / (capacity - lastCapacity) : 0;
            hostSeries.Add(Math.Round(host.NowMilliseconds, 6), util, busy * msPerCycle, host.Frames.FreeFrames, host.ReservedPages,
                host.Vms.Sum(v => v.Memory.MappedPages), host.ReclamationState.ToString().ToLowerInvariant(), host.SwapArea?.UsedPages ?? 0);
            lastBusy = busy; lastCapacity = capacity;
            progress?.Report(t / spec.DurationMilliseconds);
        }
        return new RunOutcome(host, vmSeries, hostSeries);
    }
}

/// <summary>A built-in experiment, runnable from the CLI by name.</summary>
public interface IExperiment
{
    string Name { get; }
    string Description { get; }
    /// <summary>Options and their defaults, as "name" → "default" (shown in help).</summary>
    IReadOnlyDictionary<string, string> Defaults { get; }
    /// <summary>Runs with option values (missing ones take their default). Throws <see cref="ConfigurationException"/> for bad values.</summary>
    ExperimentResult Run(IReadOnlyDictionary<string, string> options, int seed, IProgress<double>? progress = null);
}

/// <summary>The built-in experiments.</summary>
public static class Experiments
{
    public static readonly IReadOnlyList<IExperiment> All =
        [new Type1VsType2Experiment(), new CpuOvercommitExperiment(), new SmtExperiment(), new PopekGoldbergExperiment(), new BallooningExperiment(), new PageSharingExperiment(),
         new MemoryOvercommitExperiment(), new IdleTaxExperiment()];

    public static IExperiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);
}

/// <summary>Helpers for reading experiment options with errors that name the option.</summary>
internal static class Options
{
    public static string Get(IReadOnlyDictionary<string, string> o, IReadOnlyDictionary<string, string> defaults, string name) =>
        o.TryGetValue(name, out var v) ? v : defaults[name];

    public static double Double(IReadOnlyDictionary<string, string> o, IReadOnlyDictionary<string, string> d, string name, double min = double.Epsilon)
    {
        string s = Get(o, d, name);
        if (!double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) || v < min)
            throw new ConfigurationException(name, $"'{s}' is not a number >= {min}");
        return v;
    }

    public static int Int(IReadOnlyDictionary<string, string> o, IReadOnlyDictionary<string, string> d, string name, int min, int max = int.MaxValue)
    {
        string s = Get(o, d, name);
        if (!int.TryParse(s, out int v) || v < min || v > max)
            throw new ConfigurationException(name, $"'{s}' is not a whole number between {min} and {max}");
        return v;
    }

    public static List<double> Doubles(IReadOnlyDictionary<string, string> o, IReadOnlyDictionary<string, string> d, string name)
    {
        var list = new List<double>();
        foreach (var part in Get(o, d, name).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) || v <= 0)
                throw new ConfigurationException(name, $"'{part}' is not a positive number");
            list.Add(v);
        }
        if (list.Count == 0) throw new ConfigurationException(name, "needs at least one value");
        return list;
    }

    /// <summary>Four falling fractions below 1, "high,soft,hard,low", as reclamation thresholds.</summary>
    public static ReclamationThresholds Thresholds(IReadOnlyDictionary<string, string> o, IReadOnlyDictionary<string, string> d, string name)
    {
        var th = Doubles(o, d, name);
        if (th.Count != 4 || !(th[0] > th[1] && th[1] > th[2] && th[2] > th[3] && th[0] < 1))
            throw new ConfigurationException(name, "needs four falling fractions below 1: high,soft,hard,low");
        return new ReclamationThresholds(th[0], th[1], th[2], th[3]);
    }

    public static Guest.Workload Workload(string text, string field)
    {
        var w = Guest.Workload.Parse(text, out string? error);
        return w ?? throw new ConfigurationException(field, error ?? "invalid workload");
    }
}
