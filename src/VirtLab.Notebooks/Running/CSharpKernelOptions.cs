namespace VirtLab.Notebooks;

/// <summary>Which program drives a <see cref="CSharpKernel"/>; code in cells can tell (charts use it to decide how to load plotly.js).</summary>
public enum KernelHost
{
    /// <summary>VirtLab's headless notebook runner (<c>virtlab notebook run</c>, <c>virtlab course</c>): outputs go into files and the course site.</summary>
    Runner,

    /// <summary>VirtLab's Jupyter kernel: outputs go to a live front end (VS Code, JupyterLab, nbclient).</summary>
    Jupyter,
}

/// <summary>How a <see cref="CSharpKernel"/> starts and manages its cell-executing child process.</summary>
public sealed record CSharpKernelOptions
{
    /// <summary>The folder cells run in; relative <c>#r</c>, <c>#load</c> and file names resolve against it. Defaults to the current directory.</summary>
    public string WorkingDirectory { get; init; } = System.Environment.CurrentDirectory;

    /// <summary>Variables added to (or, with a null value, removed from) the environment the child inherits from this process.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// The most managed memory a notebook may use, in bytes (the child's GC heap hard limit). A cell
    /// that allocates past it gets an <see cref="OutOfMemoryException"/> instead of exhausting the
    /// machine. Null means the .NET default (no limit below the machine's memory).
    /// </summary>
    public long? MemoryLimit { get; init; } = DefaultMemoryLimit;

    /// <summary>The default <see cref="MemoryLimit"/>: 4 GiB, far above what a lesson needs and far below what takes a shared class server down.</summary>
    public const long DefaultMemoryLimit = 4L << 30;

    /// <summary>Where <c>#r "nuget: ..."</c> restores are cached. Defaults to <c>virtlab-notebooks/packages</c> in the temp folder.</summary>
    public string? PackageCacheDirectory { get; init; }

    /// <summary>Package sources added to every restore, as if each notebook began with <c>#i "nuget: source"</c>.</summary>
    public IReadOnlyList<string> RestoreSources { get; init; } = [];

    /// <summary>The longest one package restore may take.</summary>
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an interrupted or timed-out cell has to stop before its process is killed and
    /// replaced. A cell that is restoring packages, sleeping or waiting stops at once and keeps the
    /// notebook's state; code that computes cannot be stopped from outside (.NET cannot abort a
    /// thread), so it loses its process.
    /// </summary>
    public TimeSpan InterruptGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The program the child runs, with <see cref="CellHost.Verb"/>: VirtLab.Kernel.dll when it is
    /// beside this library (it is, for the virtlab tool and the tests), else VirtLab.Notebooks.dll.
    /// VirtLab.Kernel is preferred because its assembly list (deps.json) holds VirtLab.Interactive's
    /// dependencies: a lesson's F# libraries (Plotly.NET, Giraffe) then bind to one FSharp.Core,
    /// as they did when cells ran inside the virtlab process.
    /// </summary>
    public string CellHostAssembly { get; init; } = DefaultCellHost();

    /// <summary>The program driving the kernel.</summary>
    public KernelHost Host { get; init; } = KernelHost.Runner;

    private static string DefaultCellHost()
    {
        var notebooks = typeof(CellHost).Assembly.Location;
        var kernel = Path.Combine(Path.GetDirectoryName(notebooks)!, "VirtLab.Kernel.dll");
        return File.Exists(kernel) && File.Exists(Path.ChangeExtension(kernel, ".runtimeconfig.json")) ? kernel : notebooks;
    }
}
