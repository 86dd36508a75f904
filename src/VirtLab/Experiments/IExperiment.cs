namespace VirtLab.Experiments;

/// <summary>
/// A built-in experiment as the <c>virtlab experiment</c> command sees it: a name, a one-line
/// description, its options, and a way to run it with options it does not know the type of. A
/// lesson calls the experiment's own typed <c>Run</c> instead (for example <see cref="CpuOvercommit.Run"/>).
/// </summary>
public interface IExperiment
{
    /// <summary>The name on the command line (<c>cpu-overcommit</c>).</summary>
    string Name { get; }

    /// <summary>What it measures, in one line.</summary>
    string Description { get; }

    /// <summary>Its options, described from the options record's doc comments.</summary>
    IReadOnlyList<ExperimentOption> Options { get; }

    /// <summary>A fresh options record with every option at its default, to be changed with <see cref="ExperimentOption.Set"/>.</summary>
    ExperimentOptions CreateOptions();

    /// <summary>
    /// Runs with <paramref name="options"/> (a record from <see cref="CreateOptions"/>).
    /// <paramref name="progress"/> gets the fraction done, up to 1. Throws
    /// <see cref="Hypervisor.ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    ExperimentResult Run(ExperimentOptions options, IProgress<double>? progress = null);
}
