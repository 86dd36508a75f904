namespace VirtLab.Experiments;

/// <summary>An <see cref="IExperiment"/> made of a name, a description and the experiment's typed run method.</summary>
internal sealed class Experiment<TOptions, TResult>(string name, string description, Func<TOptions?, IProgress<double>?, TResult> run) : IExperiment
    where TOptions : ExperimentOptions, new()
    where TResult : ExperimentResult
{
    public string Name => name;
    public string Description => description;
    public IReadOnlyList<ExperimentOption> Options => ExperimentOption.Of(typeof(TOptions));
    public ExperimentOptions CreateOptions() => new TOptions();

    public ExperimentResult Run(ExperimentOptions options, IProgress<double>? progress = null) =>
        run(options as TOptions ?? throw new ArgumentException($"{name} takes {typeof(TOptions).Name}, not {options.GetType().Name}", nameof(options)), progress);
}
