namespace VirtLab.Notebooks;

/// <summary>How a cell's run ended.</summary>
public enum CellStatus
{
    /// <summary>The cell ran to the end.</summary>
    Succeeded,

    /// <summary>The cell did not compile, threw, or uses a kernel VirtLab does not run.</summary>
    Failed,

    /// <summary>The cell ran longer than <see cref="RunOptions.CellTimeout"/>.</summary>
    TimedOut,

    /// <summary>The cell was not run because an earlier cell failed and <see cref="RunOptions.StopOnError"/> was set.</summary>
    Skipped,

    /// <summary>
    /// The cell ended the C# process that ran it (stack overflow, <see cref="Environment.Exit(int)"/>,
    /// out of memory). The process was replaced, so the notebook's state was reset.
    /// </summary>
    Crashed,

    /// <summary>The cell was interrupted (Jupyter's interrupt button) before it ended.</summary>
    Interrupted,
}

/// <summary>The result of one code cell: where it is, how it ended, how long it took.</summary>
public sealed record CellRunResult(int Index, NotebookCell Cell, CellStatus Status, TimeSpan Elapsed);

/// <summary>The result of running a notebook: the executed document (cells now hold outputs) and one result per code cell.</summary>
/// <param name="Document">The executed document.</param>
/// <param name="Cells">One result per code cell.</param>
/// <param name="Elapsed">From the first cell to the last, on a started kernel.</param>
public sealed record NotebookRunResult(NotebookDocument Document, IReadOnlyList<CellRunResult> Cells, TimeSpan Elapsed)
{
    /// <summary>
    /// How long the run waited for its kernel (the child process and Roslyn's first compilation)
    /// before the first cell: not part of <see cref="Elapsed"/>.
    /// </summary>
    public TimeSpan KernelStart { get; init; }

    /// <summary>The cells that failed, timed out, crashed or were interrupted.</summary>
    public IEnumerable<CellRunResult> Failures => Cells.Where(c => c.Status is not (CellStatus.Succeeded or CellStatus.Skipped));

    /// <summary>True when every cell that ran succeeded.</summary>
    public bool Succeeded => !Failures.Any();

    /// <summary>The process exit code a command-line tool should return: 0 on success, 2 if any cell failed (as dotnet-repl does).</summary>
    public int ExitCode => Succeeded ? 0 : 2;
}
