using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// VMs paused under contention, up close: one overcommitted host, and every vCPU's run, ready,
/// co-stop and wait time recorded after each short interval, so that the pauses show over time
/// (a stretch of running, then ready while another vCPU has the pCPU, then co-stopped while a
/// sibling catches up). The default host has three pCPUs under six vCPUs: two CPU-bound two-vCPU
/// VMs, a CPU-bound one-vCPU VM and a mostly idle one.
/// <example>
/// <code>
/// var result = OvercommitTimeline.Run();
/// result.Headline.MostCoStopped.Vcpu        // a vCPU of db or app: only SMP VMs are co-stopped
/// </code>
/// </example>
/// </summary>
public static class OvercommitTimeline
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "overcommit-timeline";

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<OvercommitTimelineOptions, OvercommitTimelineResult>(Name,
        "Per-vCPU run / ready / co-stop / wait over time on one overcommitted host: VMs paused under contention", Run);

    /// <summary>
    /// Runs the host with <paramref name="options"/> (defaults if null). Throws
    /// <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static OvercommitTimelineResult Run(OvercommitTimelineOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        var intervals = new List<VcpuInterval>();
        var previous = new Dictionary<string, VcpuInterval>();
        var outcome = ExperimentRunner.Run(new ExperimentSpec
        {
            Host = new HostConfig { Cores = options.PhysicalCpus },
            Vms = options.VmNames.Select((name, i) => new VmConfig { Name = name, Vcpus = options.VcpusPerVm[i], Workload = options.Workloads[i] }).ToList(),
            DurationMilliseconds = options.DurationMilliseconds, SampleMilliseconds = options.SampleMilliseconds, Seed = options.Seed,
            // After each sample, every vCPU's counters from the scheduler.
            AfterSample = host =>
            {
                double msPerCycle = 1.0 / host.Config.CyclesPerMillisecond;
                foreach (var v in host.Vms.SelectMany(vm => vm.Vcpus))
                {
                    var now = Interval(previous.GetValueOrDefault(v.Name), host.NowMilliseconds, v.Name, v.Sched.RunCycles * msPerCycle,
                        v.Sched.ReadyCycles * msPerCycle, v.Sched.CoStopCycles * msPerCycle, v.Sched.WaitCycles * msPerCycle);
                    intervals.Add(now);
                    previous[v.Name] = now;
                }
            },
        }, progress);
        var totals = previous.Values.Select(p => new VcpuTotal(p.Vcpu, p.RunMilliseconds, p.ReadyMilliseconds, p.CoStopMilliseconds, p.WaitMilliseconds,
            100 * p.ReadyMilliseconds / p.TimeMilliseconds, 100 * p.CoStopMilliseconds / p.TimeMilliseconds)).ToList();
        return new OvercommitTimelineResult(options, intervals, totals, outcome,
            ["run_ms, ready_ms, costop_ms and wait_ms are cumulative; run_pct, ready_pct, costop_pct and wait_pct divide the interval since the vCPU's previous row (they add up to 100).",
             "Ready: runnable, no pCPU free (esxtop's %RDY). Co-stop: held back by relaxed co-scheduling for running ahead of a sibling (%CSTP). Wait: idle in wfi."]);
    }

    /// <summary>The record of a vCPU at <paramref name="ms"/>, with the shares of the interval since <paramref name="before"/> (the start if null).</summary>
    private static VcpuInterval Interval(VcpuInterval? before, double ms, string vcpu, double run, double ready, double coStop, double wait)
    {
        double since = ms - (before?.TimeMilliseconds ?? 0);
        double Share(double now, double then) => since > 0 ? 100 * (now - then) / since : 0;
        return new VcpuInterval(ms, vcpu, run, ready, coStop, wait,
            Share(run, before?.RunMilliseconds ?? 0), Share(ready, before?.ReadyMilliseconds ?? 0),
            Share(coStop, before?.CoStopMilliseconds ?? 0), Share(wait, before?.WaitMilliseconds ?? 0));
    }
}
