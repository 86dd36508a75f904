namespace VirtLab.Experiments;

/// <summary>
/// The few figures a lesson quotes from an experiment, read from its rows: each experiment's
/// headline type (for example <see cref="CpuOvercommitHeadline"/>) has them as properties and
/// methods, and says them as the sentences <c>virtlab experiment</c> prints under "headlines".
/// </summary>
public abstract class ExperimentHeadline
{
    /// <summary>Only VirtLab's experiments have headlines.</summary>
    private protected ExperimentHeadline() { }

    /// <summary>The figures as sentences, each with a name, in the order they are printed.</summary>
    internal abstract IEnumerable<(string Name, string Value)> Sentences();
}
