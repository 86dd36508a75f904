namespace VirtLab.Notebooks;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook.</summary>
public sealed record RunOptions
{
    /// <summary>
    /// The longest a single cell may run. A cell that takes longer gets the error output
    /// "cell timed out after N s" and the run goes on (or stops, see <see cref="StopOnError"/>).
    /// A cell that computes cannot be stopped from outside, so its C# process is ended and the
    /// cells after it start from an empty state. Null means no limit.
    /// </summary>
    public TimeSpan? CellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// False (the default) runs every cell even after one failed, like dotnet-repl; true stops at the
    /// first failing cell and leaves the remaining cells without outputs.
    /// </summary>
    public bool StopOnError { get; init; }

    /// <summary>Where progress lines such as <c>[lesson] cell 3/12 ... 0.4 s</c> go; null for silence.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>
    /// The folder where <c>#r "nuget: ..."</c> restores are cached, one sub-folder per package set.
    /// Defaults to <c>virtlab-notebooks/packages</c> in the temp folder.
    /// </summary>
    public string? PackageCacheDirectory { get; init; }

    /// <summary>Package sources added to every restore, as if each notebook began with <c>#i "nuget: source"</c>.</summary>
    public IReadOnlyList<string> RestoreSources { get; init; } = [];

    /// <summary>The longest one package restore (a <c>dotnet build</c> of a generated project) may take.</summary>
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Environment variables for the cells, added to the ones of this process (which the cells
    /// always see): for example <c>VIRTLAB_STUDENT</c> for a self-check run. A null value removes
    /// a variable.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The most managed memory one notebook may use, in bytes (see <see cref="CSharpKernelOptions.MemoryLimit"/>).</summary>
    public long? MemoryLimit { get; init; } = CSharpKernelOptions.DefaultMemoryLimit;

    /// <summary>The kernel options for a notebook that lives in <paramref name="directory"/>.</summary>
    public CSharpKernelOptions KernelOptions(string directory) => new()
    {
        WorkingDirectory = directory,
        Environment = Environment,
        MemoryLimit = MemoryLimit,
        PackageCacheDirectory = PackageCacheDirectory,
        RestoreSources = RestoreSources,
        RestoreTimeout = RestoreTimeout,
        Host = KernelHost.Runner,
    };
}
