namespace VirtLab.Experiments;

/// <summary>The built-in experiments, in the order <c>virtlab experiment --help</c> lists them.</summary>
public static class BuiltInExperiments
{
    /// <summary>All eleven: the original eight, then lesson 04's own three (what VMs use, the right ratio per workload mix, vCPUs paused over time).</summary>
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        Type1VsType2.Experiment, CpuOvercommit.Experiment, Smt.Experiment, PopekGoldberg.Experiment,
        Ballooning.Experiment, PageSharingExperiment.Experiment, MemoryOvercommit.Experiment, IdleTax.Experiment,
        OvercommitUsage.Experiment, OvercommitRatioSearch.Experiment, OvercommitTimeline.Experiment,
    ];

    /// <summary>The experiment called <paramref name="name"/>, or null.</summary>
    public static IExperiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);
}
