namespace VirtLab.Experiments;

/// <summary>The options of <see cref="PopekGoldberg"/>.</summary>
public sealed record PopekGoldbergOptions : ExperimentOptions
{
    /// <summary>Critical sections the guest runs on each machine (count). Default: 20.</summary>
    public int Rounds { get; init; } = 20;

    /// <summary>Length of each critical section (loop iterations, two instructions each). Default: 20000.</summary>
    public int CriticalIterations { get; init; } = 20_000;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireBetween(nameof(Rounds), Rounds, 1, 10_000);
        RequireBetween(nameof(CriticalIterations), CriticalIterations, 100, 10_000_000);
    }
}
