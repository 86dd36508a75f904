using System.IO.Pipes;
using System.Net;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace VirtLab.Notebooks;

/// <summary>
/// The child process that executes cells: the only place where a notebook's code runs.
/// <para>
/// <see cref="CSharpKernel"/> starts it (<c>dotnet VirtLab.Notebooks.dll cell-host PIPE</c>) and
/// talks to it over a local pipe (<see cref="CellHostMessage"/>). If a cell overflows its stack,
/// calls <see cref="Environment.Exit(int)"/> or runs the process out of memory, only this process
/// dies; the parent reports it as that cell's error and starts a fresh one. Cells run one at a time
/// on a thread of their own, so the pipe stays responsive: an interrupt, a completion or an
/// inspection is answered while a cell runs.
/// </para>
/// </summary>
public sealed class CellHost
{
    /// <summary>The command-line verb that makes a program act as a cell host (<c>PROGRAM cell-host PIPE</c>).</summary>
    public const string Verb = "cell-host";

    /// <summary>
    /// The <see cref="AppContext"/> key that tells code in cells which program hosts them
    /// (<c>runner</c> or <c>jupyter</c>); VirtLab.Interactive's ChartHtml.NotebookHostKey reads it
    /// to decide how charts get plotly.js (the two libraries do not reference each other).
    /// </summary>
    public const string HostKey = "VirtLab.NotebookHost";

    private readonly CellHostChannel channel;
    private readonly ScriptSession session;
    private readonly ScriptWorkspace workspace;
    private readonly Lock cellGate = new();
    private RunningCell? runningCell;
    /// <summary>Cells waiting for a line they read from the console, by cell id.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource<string?>> linesWanted = new();

    /// <summary>The cell being run: its thread (to wake it from a sleep or wait) and its cancellation.</summary>
    private sealed record RunningCell(int Id, Thread Thread, CancellationTokenSource Cancellation)
    {
        public string Reason { get; set; } = "the cell was interrupted";
    }

    private CellHost(CellHostChannel channel, ScriptSession session)
    {
        this.channel = channel;
        this.session = session;
        workspace = new ScriptWorkspace(session);
    }

    /// <summary>
    /// The child's entry point: <c>dotnet VirtLab.Kernel.dll cell-host PIPE</c> (or
    /// VirtLab.Notebooks.dll, see <see cref="CSharpKernelOptions.CellHostAssembly"/>). Only
    /// <see cref="CSharpKernel"/> starts it this way; it is not a tool for people.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is not [Verb, var pipeName])
        {
            await Console.Error.WriteLineAsync($"VirtLab.Notebooks.dll is a library; as a program it only serves VirtLab's notebook runner and kernel ({Verb} PIPE).");
            return 2;
        }
        return await RunAsync(pipeName);
    }

    /// <summary>Connects to <paramref name="pipeName"/>, configures itself, and serves until the pipe closes.</summary>
    private static async Task<int> RunAsync(string pipeName)
    {
        // A blocking pipe, read and written only synchronously (see Serve for why).
        var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.None);
        pipe.Connect(30_000);
        using var channel = new CellHostChannel(pipe);
        if (channel.Receive() is not ConfigureRequest configure) return 2;

        Environment.CurrentDirectory = configure.WorkingDirectory;
        AppContext.SetData(HostKey, configure.Host);
        // Console text of cells goes to their capture; anything else to this process's stderr,
        // which the parent keeps for diagnosing a crash.
        var processError = Console.Error;
        Console.SetOut(new CapturedConsole(StreamOutput.StandardOutput, processError));
        Console.SetError(new CapturedConsole(StreamOutput.StandardError, processError));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => channel.Send(new ExitingEvent(Environment.ExitCode));

        var restore = new PackageRestore(configure.PackageCacheDirectory, TimeSpan.FromSeconds(configure.RestoreTimeoutSeconds));
        var session = new ScriptSession(configure.WorkingDirectory, restore, configure.RestoreSources);
        await session.StartAsync(CancellationToken.None);
        var host = new CellHost(channel, session);
        Console.SetIn(new CellInput(host.AskForLine));
        AppDomain.CurrentDomain.FirstChanceException += (_, e) => CellCapture.NoteThrow(e.Exception);
        AppDomain.CurrentDomain.UnhandledException += (_, e) => host.ReportUnhandled(e.ExceptionObject);
        channel.Send(new ReadyEvent(Environment.ProcessId));
        // A Jupyter front end asks for completions and quick info; a headless run never does.
        if (configure.Host == "jupyter") _ = Task.Run(host.workspace.WarmUpAsync);
        await Task.Factory.StartNew(host.Serve, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default); // a thread of its own
        return 0;
    }

    /// <summary>
    /// Reads the parent's requests until the pipe closes, on a thread of its own.
    /// <para>
    /// The pipe (a Unix domain socket on Linux) is only ever used synchronously in this process,
    /// so it stays a blocking socket and a send that finds it full simply sleeps in the kernel
    /// until the parent has read. Once a socket has had one asynchronous operation, .NET makes it
    /// non-blocking and emulates every later synchronous send: the waiting sender is woken by
    /// socket-event processing that .NET may hand to the thread pool. This process's pool belongs
    /// to the cell's code, which can tie up every pool thread: a <c>Parallel.For</c> whose bodies
    /// write to the console while the cell's thread is sending a chart (they wait for the capture
    /// the sender holds), or, until it stopped waiting, the capture's own flush timer. The send was
    /// then never woken and the cell hung. A first chart (plotly.js inside it, about 4 MB) fills
    /// the socket, which is how lessons run through the kernel hit this, one run in twenty or so.
    /// </para>
    /// </summary>
    private void Serve()
    {
        while (channel.Receive() is { } message)
        {
            switch (message)
            {
                case ExecuteRequest execute:
                    StartCell(execute);
                    break;
                case InterruptRequest interrupt:
                    Interrupt(interrupt.Reason);
                    break;
                case CompleteRequest complete:
                    Answer(async () => await workspace.CompleteAsync(complete), new CompletionsEvent(complete.Id, complete.Position, complete.Position, []));
                    break;
                case InputProvidedRequest provided:
                    if (linesWanted.TryGetValue(provided.Id, out var waiting)) waiting.TrySetResult(provided.Text);
                    break;
                case InspectRequest inspect:
                    Answer(async () => await workspace.InspectAsync(inspect), new InspectionEvent(inspect.Id, null, null));
                    break;
            }
        }
    }

    /// <summary>Answers a request off the reading loop; if answering fails, logs why and sends <paramref name="empty"/>.</summary>
    private void Answer(Func<Task<CellHostMessage>> answer, CellHostMessage empty) => _ = Task.Run(async () =>
    {
        try
        {
            channel.Send(await answer());
        }
        catch (Exception error)
        {
            Console.Error.WriteLine($"virtlab cell host: {empty.GetType().Name} failed: {error}");
            channel.Send(empty);
        }
    });

    /// <summary>Runs the cell on a thread of its own; the parent sends one cell at a time.</summary>
    private void StartCell(ExecuteRequest request)
    {
        RunningCell? cell = null;
        var thread = new Thread(() =>
        {
            var capture = new CellCapture(request.Id, output => channel.Send(new OutputEvent(request.Id, WireOutput.From(output))));
            CellCapture.Current = capture; // flows into tasks and threads the cell starts
            var status = CellStatus.Failed;
            try
            {
                status = RunCellAsync(request.Code, capture, cell!.Cancellation.Token).GetAwaiter().GetResult();
            }
            catch (ThreadInterruptedException)
            {
                // Woken from a sleep or a wait by Interrupt: the cell's code stops here.
                capture.Add(ErrorOutput.FromMessage(cell!.Reason));
                status = CellStatus.Interrupted;
            }
            finally
            {
                Uninterruptibly(() =>
                {
                    lock (cellGate) runningCell = null;
                    capture.End();
                    // A task of the cell still waiting for a line gets the end of input.
                    if (linesWanted.TryGetValue(request.Id, out var waiting)) waiting.TrySetResult(null);
                });
            }
            Uninterruptibly(() => channel.Send(new ExecutedEvent(request.Id, status)));
        })
        {
            IsBackground = true,
            Name = "notebook cell",
        };
        cell = new RunningCell(request.Id, thread, new CancellationTokenSource());
        lock (cellGate) runningCell = cell;
        thread.Start();
    }

    /// <summary>
    /// A running cell reads a line (<see cref="CellInput"/>): the text it printed so far goes out
    /// first (it is the prompt), then the parent asks the front end, and the cell waits for the
    /// answer. An interrupt wakes the wait like any other; the parent answers null where nobody can
    /// type, and the cell's end answers null to a task of it still waiting.
    /// </summary>
    private string? AskForLine(CellCapture cell)
    {
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!linesWanted.TryAdd(cell.CellId, answer)) return null;
        try
        {
            cell.Flush();
            return channel.Send(new InputNeededEvent(cell.CellId, "")) ? answer.Task.GetAwaiter().GetResult() : null;
        }
        finally
        {
            linesWanted.TryRemove(cell.CellId, out _);
        }
    }

    /// <summary>
    /// A thread or task that a cell started threw, and nothing caught it; .NET ends the process
    /// when this handler returns. The cell that started it (its capture flowed into the thread,
    /// and <see cref="CellCapture.NoteThrow"/> saw the throw) gets the exception as its output,
    /// late if that cell has finished, and the parent learns which cell it was, so the cell that
    /// happens to be running, or the next one, is not blamed. (The cell's own thread catches
    /// everything, so this is only ever another thread.)
    /// </summary>
    private void ReportUnhandled(object exception)
    {
        if (exception is not Exception error || CellCapture.ThatThrew(error) is not { } origin) return;
        var thrown = ExceptionOutput(error);
        var when = origin.Ended ? " after the cell had finished" : "";
        var message = $"a thread or task this cell started threw {thrown.Value}{when}; nothing caught it, so it ended the C# process and the notebook's state was reset";
        origin.Add(new ErrorOutput("Error", message, [message, .. thrown.Traceback]));
        int? running;
        lock (cellGate) running = runningCell?.Id;
        channel.Send(new UnhandledExceptionEvent(origin.CellId, running));
    }

    /// <summary>
    /// Runs <paramref name="action"/> even if an interrupt meant for the cell is still pending on
    /// this thread (it arrives at the first wait, which may be a lock in here).
    /// </summary>
    private static void Uninterruptibly(Action action)
    {
        while (true)
        {
            try
            {
                action();
                return;
            }
            catch (ThreadInterruptedException)
            {
                // the cell's interrupt, arriving late: the cell is over anyway
            }
        }
    }

    private void Interrupt(string reason)
    {
        lock (cellGate)
        {
            if (runningCell is not { } cell) return;
            cell.Reason = reason;
            cell.Cancellation.Cancel();
            cell.Thread.Interrupt();
        }
    }

    private async Task<CellStatus> RunCellAsync(string code, CellCapture capture, CancellationToken cancellationToken)
    {
        try
        {
            var directives = PackageDirectives.Extract(code);
            if (directives.Packages.Count > 0 || directives.Sources.Count > 0)
            {
                var added = await session.AddPackagesAsync(directives, cancellationToken);
                if (added.Count > 0) capture.Add(InstalledPackages(added));
            }
            var result = await session.RunAsync(directives.Code, cancellationToken);
            if (result.Exception is ThreadInterruptedException || (result.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
                throw new ThreadInterruptedException(); // the interrupt woke the cell's own Sleep or Wait
            if (result.Exception is { } exception)
            {
                capture.Add(ExceptionOutput(exception));
                return CellStatus.Failed;
            }
            if (result.ReturnValue is { } value) capture.Add(DisplayedValue.Format(value) with { IsResult = true });
            return CellStatus.Succeeded;
        }
        catch (CompilationErrorException error)
        {
            capture.Add(CompileErrorOutput(error));
            return CellStatus.Failed;
        }
        catch (PackageRestoreException error)
        {
            capture.Add(ErrorOutput.FromMessage(error.Message));
            return CellStatus.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ThreadInterruptedException(); // reported once, by the cell's thread
        }
        catch (Exception exception) when (exception is not ThreadInterruptedException)
        {
            // Formatting a return value, loading a referenced assembly, ...: still the cell's failure.
            capture.Add(ExceptionOutput(exception));
            return CellStatus.Failed;
        }
    }

    private static ErrorOutput CompileErrorOutput(CompilationErrorException error)
    {
        var messages = error.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        return new ErrorOutput("Error", string.Join("\n", messages), messages);
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
                   + string.Concat(list.Select(p => $"<li><span>{WebUtility.HtmlEncode(p.Name)}, {WebUtility.HtmlEncode(p.Version)}</span></li>"))
                   + "</ul></div>";
        var text = "Installed Packages\n" + string.Concat(list.Select(p => $"  {p.Name}, {p.Version}\n"));
        return new DisplayOutput(new Dictionary<string, string> { [DisplayedValue.Html] = html, [DisplayedValue.PlainText] = text });
    }
}
