using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace VirtLab.Notebooks;

/// <summary>
/// Executes a notebook headlessly, cell by cell, and stores each cell's outputs in the document.
/// <para>
/// C# cells run as Roslyn script submissions that share state, like the Polyglot C# kernel;
/// markdown cells pass through; cells of any other kernel get an error output. While a notebook
/// runs, the process's working directory is the notebook's folder and <see cref="Console"/> output
/// is captured per cell, so the runner runs one notebook at a time per process: concurrent calls wait.
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
    private static readonly SemaphoreSlim oneRunAtATime = new(1, 1);

    /// <summary>
    /// Runs every code cell of <paramref name="document"/> in order, replacing its outputs.
    /// Never throws for a failing cell: failures become error outputs and are counted in the result.
    /// </summary>
    public static async Task<NotebookRunResult> RunAsync(NotebookDocument document, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        await oneRunAtATime.WaitAsync(cancellationToken);
        var (hostOut, hostError, hostDirectory) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        var hostVariables = options.EnvironmentVariables.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in options.EnvironmentVariables) Environment.SetEnvironmentVariable(name, value);
            Environment.CurrentDirectory = document.Directory;
            Console.SetOut(new CapturedConsole(StreamOutput.StandardOutput, hostOut));
            Console.SetError(new CapturedConsole(StreamOutput.StandardError, hostError));
            Formatter.ResetToDefault(); // each notebook starts with a fresh kernel
            return await RunCellsAsync(document, options, cancellationToken);
        }
        finally
        {
            Console.SetOut(hostOut);
            Console.SetError(hostError);
            Environment.CurrentDirectory = hostDirectory;
            foreach (var (name, value) in hostVariables) Environment.SetEnvironmentVariable(name, value);
            oneRunAtATime.Release();
        }
    }

    private static async Task<NotebookRunResult> RunCellsAsync(NotebookDocument document, RunOptions options, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var cacheDirectory = options.PackageCacheDirectory ?? Path.Combine(Path.GetTempPath(), "virtlab-notebooks", "packages");
        var kernel = new CSharpKernel(document.Directory, new PackageRestore(cacheDirectory, options.RestoreTimeout), options.RestoreSources);
        await kernel.StartAsync(cancellationToken);

        var codeCells = document.Cells.Where(c => c.Kind == CellKind.Code).ToList();
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
            var status = await RunCellAsync(kernel, cell, options, cancellationToken);
            results.Add(new CellRunResult(i, cell, status, clock.Elapsed));
            options.Log?.WriteLine(ProgressSuffix(status, clock.Elapsed));
            stopped = options.StopOnError && status != CellStatus.Succeeded;
        }
        return new NotebookRunResult(document, results, total.Elapsed);
    }

    private static string ProgressSuffix(CellStatus status, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        return status switch
        {
            CellStatus.Failed => seconds + " FAILED",
            CellStatus.TimedOut => seconds + " TIMED OUT",
            _ => seconds,
        };
    }

    private static async Task<CellStatus> RunCellAsync(CSharpKernel kernel, NotebookCell cell, RunOptions options, CancellationToken cancellationToken)
    {
        if (!cell.IsCSharp)
        {
            cell.Outputs.Add(ErrorOutput.FromMessage($"Kernel '{cell.KernelName}' is not supported by the VirtLab notebook runner; only C# cells run."));
            return CellStatus.Failed;
        }

        var capture = new CellCapture();
        var status = CellStatus.Succeeded;
        try
        {
            var directives = PackageDirectives.Extract(cell.Source);
            if (directives.Packages.Count > 0 || directives.Sources.Count > 0)
            {
                var added = await kernel.AddPackagesAsync(directives, cancellationToken);
                if (added.Count > 0) capture.Add(InstalledPackages(added));
            }
            status = await ExecuteAsync(kernel, directives.Code, capture, options.CellTimeout, cancellationToken);
        }
        catch (PackageRestoreException error)
        {
            capture.Add(ErrorOutput.FromMessage(error.Message));
            status = CellStatus.Failed;
        }
        cell.Outputs.AddRange(capture.Close());
        return status;
    }

    /// <summary>
    /// Runs the cell's code on a thread of its own and waits at most <paramref name="timeout"/>.
    /// .NET cannot abort a thread, so a cell that loops forever is abandoned: its thread (a
    /// background thread, which never keeps the process alive) keeps spinning while the run goes
    /// on from the state before that cell.
    /// </summary>
    private static async Task<CellStatus> ExecuteAsync(CSharpKernel kernel, string code, CellCapture capture, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var submission = StartOnOwnThread(() => kernel.RunAsync(code, cancellationToken), capture);
        var finished = timeout is { } limit
            ? await Task.WhenAny(submission, Task.Delay(limit, cancellationToken)) == submission
            : await submission.ContinueWith(_ => true, TaskScheduler.Default);
        if (!finished)
        {
            capture.Add(ErrorOutput.FromMessage($"cell timed out after {timeout!.Value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"));
            return CellStatus.TimedOut;
        }

        try
        {
            var state = await submission;
            kernel.Accept(state);
            if (state.Exception is { } exception)
            {
                capture.Add(ExceptionOutput(exception));
                return CellStatus.Failed;
            }
            if (state.ReturnValue is { } value) capture.Add(DisplayedValue.Format(value));
            return CellStatus.Succeeded;
        }
        catch (CompilationErrorException error)
        {
            capture.Add(CompileErrorOutput(error));
            return CellStatus.Failed;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Formatting a return value, loading a referenced assembly, ...: still the cell's failure.
            capture.Add(ExceptionOutput(exception));
            return CellStatus.Failed;
        }
    }

    private static Task<T> StartOnOwnThread<T>(Func<Task<T>> work, CellCapture capture)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            CellCapture.Current = capture; // flows into tasks the cell starts
            try
            {
                completion.SetResult(work().GetAwaiter().GetResult());
            }
            catch (Exception error)
            {
                completion.SetException(error);
            }
        })
        {
            IsBackground = true,
            Name = "notebook cell",
        };
        thread.Start();
        return completion.Task;
    }

    private static ErrorOutput CompileErrorOutput(CompilationErrorException error)
    {
        var messages = error.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        var text = string.Join("\n", messages);
        return new ErrorOutput("Error", text, messages);
    }

    private static ErrorOutput ExceptionOutput(Exception exception)
    {
        if (exception is System.Reflection.TargetInvocationException { InnerException: { } inner }) exception = inner;
        return new ErrorOutput("Error", $"{exception.GetType().FullName}: {exception.Message}", exception.ToString().ReplaceLineEndings("\n").Split('\n'));
    }

    private static DisplayOutput InstalledPackages(IEnumerable<ResolvedPackage> packages)
    {
        var list = packages.ToList();
        var html = "<div><strong>Installed Packages</strong><ul>"
                   + string.Concat(list.Select(p => $"<li><span>{System.Net.WebUtility.HtmlEncode(p.Name)}, {System.Net.WebUtility.HtmlEncode(p.Version)}</span></li>"))
                   + "</ul></div>";
        var text = "Installed Packages\n" + string.Concat(list.Select(p => $"  {p.Name}, {p.Version}\n"));
        return new DisplayOutput(new Dictionary<string, string> { [DisplayedValue.Html] = html, [DisplayedValue.PlainText] = text });
    }
}
