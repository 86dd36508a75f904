namespace VirtLab.Experiments;

/// <summary>The built-in experiments, in the order <c>virtlab experiment --help</c> lists them.</summary>
public static class BuiltInExperiments
{
    /// <summary>All eight.</summary>
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        Type1VsType2.Experiment, CpuOvercommit.Experiment, Smt.Experiment, PopekGoldberg.Experiment,
        Ballooning.Experiment, PageSharingExperiment.Experiment, MemoryOvercommit.Experiment, IdleTax.Experiment,
    ];

    /// <summary>The experiment called <paramref name="name"/>, or null.</summary>
    public static IExperiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);
}
