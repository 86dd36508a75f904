using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>The options of <see cref="OvercommitRatioSearch"/>.</summary>
public sealed record OvercommitRatioSearchOptions : ExperimentOptions
{
    /// <summary>The workload mixes to walk, separated by semicolons: web, services, mixed, batch, or NAME=WORKLOAD+WORKLOAD+...[@TICK] of your own (its VMs take the workloads in turn; TICK is the guest timer tick in ms, 10 if left out). Default: web;services;mixed;batch.</summary>
    public IReadOnlyList<WorkloadMix> Mixes { get; init; } = WorkloadMix.All;

    /// <summary>Physical CPUs of the host (cores, one hardware thread each). Default: 3.</summary>
    [OptionName("pcpus")]
    public int PhysicalCpus { get; init; } = 3;

    /// <summary>The vCPU:pCPU ratios of the walk, rising (vCPUs per physical CPU): ratio r runs round(r × pcpus) one-vCPU VMs; the first is the slowdown's baseline. Default: 0.6667,1.3333,2,2.6667,4.</summary>
    public IReadOnlyList<double> Ratios { get; init; } = [0.6667, 1.3333, 2, 2.6667, 4];

    /// <summary>Ready limits to search for (% of a VM's time): the highest ratio at which every VM stays under each. Default: 5,10.</summary>
    [OptionName("thresholds")]
    public IReadOnlyList<double> ThresholdPercents { get; init; } = [5, 10];

    /// <summary>Simulated time each host runs (ms). Default: 30.</summary>
    [OptionName("duration-ms")]
    public double DurationMilliseconds { get; init; } = 30;

    /// <summary>Warm-up left out of the slowdown (ms): operations are counted from the last 10 ms sample at or before it. Default: 10.</summary>
    [OptionName("warmup-ms")]
    public double WarmupMilliseconds { get; init; } = 10;

    /// <summary>Whether a mix's walk ends at the first step where its worst VM is at or over every threshold (true: the answers are the same, the steps after it are not run), or goes through every ratio (false: the slowdown at each). Default: true.</summary>
    [OptionName("stop-once-crossed")]
    public bool StopOnceCrossed { get; init; } = true;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireEach(nameof(Mixes), Mixes, m => m is { Workloads.Count: > 0 } && m.TickMilliseconds > 0 && !string.IsNullOrWhiteSpace(m.Name),
            m => $"{m} needs a name, at least one workload and a tick above 0 ms");
        var twice = Mixes.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        Require(twice is null, nameof(Mixes), $"'{twice?.Key}' names two mixes");
        foreach (var mix in Mixes)
            foreach (var workload in mix.Workloads) RequireFits(nameof(Mixes), workload, new VmConfig().MemoryPages);
        RequireBetween(nameof(PhysicalCpus), PhysicalCpus, 1, HostConfig.MaxCores);
        RequireEach(nameof(Ratios), Ratios, r => r > 0, r => $"{OptionText.Format(r)} is not a positive number");
        for (int i = 1; i < Ratios.Count; i++)
            Require(VmsAt(Ratios[i]) > VmsAt(Ratios[i - 1]), nameof(Ratios),
                $"{OptionText.Format(Ratios[i])} gives {VmsAt(Ratios[i])} VMs on {PhysicalCpus} pCPUs, not more than {OptionText.Format(Ratios[i - 1])} before it: a walk goes up");
        Require(VmsAt(Ratios[^1]) <= OvercommitRatioSearch.MaxVms, nameof(Ratios),
            $"{OptionText.Format(Ratios[^1])} gives {VmsAt(Ratios[^1])} VMs on {PhysicalCpus} pCPUs, more than the {OvercommitRatioSearch.MaxVms} one host may run");
        RequireEach(nameof(ThresholdPercents), ThresholdPercents, t => t > 0 && t <= 100, t => $"{OptionText.Format(t)} is not a ready % above 0 and up to 100");
        RequireAtLeast(nameof(DurationMilliseconds), DurationMilliseconds, OvercommitRatioSearch.SampleMilliseconds);
        Require(WarmupMilliseconds >= 0 && WarmupMilliseconds < DurationMilliseconds, nameof(WarmupMilliseconds),
            $"{OptionText.Format(WarmupMilliseconds)} is not between 0 and the duration ({OptionText.Format(DurationMilliseconds)} ms)");
    }

    /// <summary>The one-vCPU VMs the walk runs at <paramref name="ratio"/> on this host (at least one).</summary>
    public int VmsAt(double ratio) => Math.Max(1, (int)Math.Round(ratio * PhysicalCpus));
}
