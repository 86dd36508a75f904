using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// CPU overcommit: sweeps the vCPU:pCPU ratio for CPU-bound and for mostly idle VMs (one vCPU each,
/// or <see cref="CpuOvercommitOptions.VcpusPerVm"/>) and measures each vCPU's CPU ready time
/// (runnable, but no hardware thread free) and co-stop time, each VM's throughput and the host's
/// utilization. Busy VMs share the cores, so ready time grows with the ratio; VMs that mostly sleep
/// barely notice each other.
/// <example>
/// <code>
/// var result = CpuOvercommit.Run(new() { PhysicalCpus = 3, Ratios = [1, 2, 4] });
/// result.Headline.ReadyPercentAt(4)      // about 75: each busy vCPU waits three quarters of the time
/// </code>
/// </example>
/// </summary>
public static class CpuOvercommit
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "cpu-overcommit";

    /// <summary>The <see cref="CpuOvercommitRow.Group"/> of the VMs that run the busy workload.</summary>
    public const string CpuBound = "cpu-bound";

    /// <summary>The <see cref="CpuOvercommitRow.Group"/> of the VMs that run the idle workload.</summary>
    public const string MostlyIdle = "mostly-idle";

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<CpuOvercommitOptions, CpuOvercommitResult>(Name,
        "Sweep vCPU:pCPU for CPU-bound and mostly idle VMs: ready %, throughput per VM, host utilization", Run);

    /// <summary>
    /// Runs the sweep with <paramref name="options"/> (defaults if null): one host per ratio and kind
    /// of VM. Throws <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static CpuOvercommitResult Run(CpuOvercommitOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        double duration = options.DurationMilliseconds;
        int pcpus = options.PhysicalCpus;
        double warmup = Math.Min(30, duration / 5);
        var rows = new List<CpuOvercommitRow>();
        var slices = new ProgressSlices(progress, options.Ratios.Count * 2);
        foreach (var (vms, workload) in new[] { (CpuBound, options.BusyWorkload), (MostlyIdle, options.IdleWorkload) })
        {
            double baseline = 0;
            foreach (double ratio in options.Ratios)
            {
                int perVm = options.VcpusPerVm;
                int n = Math.Max(1, (int)Math.Round(ratio * pcpus / perVm));
                var spec = new ExperimentSpec
                {
                    Host = new HostConfig { Cores = pcpus, Kind = options.Kind, RamPages = 8192 + n * 300 },
                    Vms = Enumerable.Range(0, n).Select(i => new VmConfig { Name = $"vm{i}", Vcpus = perVm, Workload = workload }).ToList(),
                    DurationMilliseconds = duration, SampleMilliseconds = Math.Min(10, duration / 10), Seed = options.Seed,
                };
                var run = ExperimentRunner.Run(spec, slices.Slice(rows.Count));
                var vcpus = run.Host.Vms.SelectMany(v => v.Vcpus).ToList();
                var ready = vcpus.Select(v => Measure.Percent(v.Sched.ReadyCycles, run.Host.Now)).ToList();
                double coStop = vcpus.Average(v => Measure.Percent(v.Sched.CoStopCycles, run.Host.Now));
                double ops = run.Host.Vms.Average(v => run.OpsPerSecond(v.Name, warmup));
                if (baseline == 0) baseline = ops;
                rows.Add(new CpuOvercommitRow(vms, ratio, vcpus.Count, ready.Average(), ready.Max(), coStop, ops, baseline > 0 ? ops / baseline : 0,
                    run.Host.BusyCycles / (double)run.Host.CapacityCycles));
                slices.Completed(rows.Count);
            }
        }
        return new CpuOvercommitResult(options, rows,
            ["Ready % = ready time / elapsed per vCPU, averaged over vCPUs; under 5% fine, over 10% a problem. Co-stop % (VMs of 2 or more vCPUs) is counted apart, as esxtop's %CSTP is.",
             "ops_per_s_per_vm = the guest's progress counter per simulated second (all its vCPUs together), after the warm-up."]);
    }
}
