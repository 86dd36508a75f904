using System.Diagnostics;
using System.Globalization;

namespace VirtLab.Notebooks;

/// <summary>
/// Executes a notebook headlessly, cell by cell, and stores each cell's outputs in the document.
/// <para>
/// C# cells run in a <see cref="CSharpKernel"/>: Roslyn script submissions that share state, like
/// the Polyglot C# kernel, in a child process started for this notebook in the notebook's folder.
/// Markdown cells pass through; cells of any other kernel get an error output. A cell that crashes
/// its process (stack overflow, <see cref="Environment.Exit(int)"/>) gets that as its error, and
/// the run goes on in a fresh process, so every other output is kept. Runs of different notebooks
/// are independent and may overlap.
/// </para>
/// <example>
/// <code>
/// var notebook = NotebookDocument.Load("notebooks/01-registers.ipynb");
/// var result = await NotebookRunner.RunAsync(notebook, new RunOptions { Log = Console.Out });
/// NotebookWriter.Save(result.Document, "out/01-registers.ipynb");
/// return result.ExitCode;
/// </code>
/// </example>
/// </summary>
public static class NotebookRunner
{
    /// <summary>
    /// Runs every code cell of <paramref name="document"/> in order, replacing its outputs.
    /// Never throws for a failing cell: failures become error outputs and are counted in the result.
    /// </summary>
    public static async Task<NotebookRunResult> RunAsync(NotebookDocument document, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        await using var kernel = CSharpKernel.Create(options.KernelOptions(document.Directory));
        return await RunAsync(document, kernel, options, cancellationToken);
    }

    /// <summary>
    /// Runs every code cell of <paramref name="document"/> on <paramref name="kernel"/>, which the
    /// caller made for this notebook (<see cref="RunOptions.KernelOptions"/>), owns and disposes.
    /// The run waits for the kernel to be ready first: <see cref="NotebookRunResult.Elapsed"/>
    /// counts the cells on a started kernel, as in Jupyter, where the kernel starts when the
    /// notebook opens; <see cref="NotebookRunResult.KernelStart"/> is the wait. <c>virtlab course</c>
    /// starts the next lesson's kernel while a lesson runs, so that wait is mostly zero.
    /// </summary>
    public static async Task<NotebookRunResult> RunAsync(NotebookDocument document, CSharpKernel kernel, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        options ??= new RunOptions();
        var waiting = Stopwatch.StartNew();
        await kernel.GetProcessIdAsync().WaitAsync(cancellationToken);
        var kernelStart = waiting.Elapsed;
        var total = Stopwatch.StartNew();
        var codeCells = document.Cells.Where(c => c.Kind == CellKind.Code).ToList();

        // A task or thread that a cell started can write after the cell has ended: that output
        // belongs to that cell, and it arrives on the kernel's reader thread, hence the lock. It
        // is taken until the run returns; after that the document is the caller's.
        var outputGate = new Lock();
        var taking = true;
        Action<CellOutput> OutputOf(NotebookCell cell) => output =>
        {
            lock (outputGate)
                if (taking) AddMerged(cell.Outputs, output);
        };

        try
        {
            var results = new List<CellRunResult>();
            var stopped = false;
            for (var i = 0; i < codeCells.Count; i++)
            {
                var cell = codeCells[i];
                cell.Outputs.Clear();
                if (stopped)
                {
                    cell.ExecutionCount = null;
                    results.Add(new CellRunResult(i, cell, CellStatus.Skipped, TimeSpan.Zero));
                    continue;
                }

                options.Log?.Write($"[{document.Name}] cell {i + 1}/{codeCells.Count} ... ");
                var clock = Stopwatch.StartNew();
                cell.ExecutionCount = i + 1;
                var status = await RunCellAsync(kernel, cell, OutputOf(cell), options, cancellationToken);
                results.Add(new CellRunResult(i, cell, status, clock.Elapsed));
                options.Log?.WriteLine(ProgressSuffix(status, clock.Elapsed));
                stopped = options.StopOnError && status != CellStatus.Succeeded;
            }
            return new NotebookRunResult(document, results, total.Elapsed) { KernelStart = kernelStart };
        }
        finally
        {
            lock (outputGate) taking = false;
        }
    }

    private static string ProgressSuffix(CellStatus status, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        return status switch
        {
            CellStatus.Failed => seconds + " FAILED",
            CellStatus.TimedOut => seconds + " TIMED OUT",
            CellStatus.Crashed => seconds + " CRASHED (state reset)",
            CellStatus.Interrupted => seconds + " INTERRUPTED",
            _ => seconds,
        };
    }

    private static async Task<CellStatus> RunCellAsync(CSharpKernel kernel, NotebookCell cell, Action<CellOutput> output, RunOptions options, CancellationToken cancellationToken)
    {
        if (!cell.IsCSharp)
        {
            cell.Outputs.Add(ErrorOutput.FromMessage($"Kernel '{cell.KernelName}' is not supported by the VirtLab notebook runner; only C# cells run."));
            return CellStatus.Failed;
        }
        try
        {
            return await kernel.ExecuteAsync(cell.Source, output, options.CellTimeout, cancellationToken);
        }
        catch (InvalidOperationException error) when (!cancellationToken.IsCancellationRequested)
        {
            // The child process could not start: say so in the cell rather than end the whole run.
            cell.Outputs.Add(ErrorOutput.FromMessage(error.Message));
            return CellStatus.Failed;
        }
    }

    /// <summary>Consecutive text on one stream makes one output, as in VS Code.</summary>
    private static void AddMerged(List<CellOutput> outputs, CellOutput output)
    {
        if (output is StreamOutput next && outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == next.Name)
            outputs[^1] = last with { Text = last.Text + next.Text };
        else
            outputs.Add(output);
    }
}
