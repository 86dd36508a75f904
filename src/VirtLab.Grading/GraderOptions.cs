namespace VirtLab.Grading;

/// <summary>What to grade and how (<c>virtlab grade</c>'s options).</summary>
public sealed record GraderOptions
{
    /// <summary>Grade only this exercise (its id), or every exercise when null.</summary>
    public string? Exercise { get; init; }
    /// <summary>Grade only the tests of this group, or every test when null (CI runs one group per step).</summary>
    public string? Group { get; init; }
    /// <summary>Submissions graded at the same time in class mode (default: one per core).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Where compiled submissions and the children's working folders go (default: the system's temporary folder).</summary>
    public string? ScratchDirectory { get; init; }
    /// <summary>Leave the scratch folders in place (for inspecting what a grading run wrote).</summary>
    public bool KeepScratch { get; init; }
}
