using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Text;

namespace VirtLab.Notebooks;

/// <summary>
/// One <see cref="CellHost"/> child process, seen from the parent: starts it, sends it requests,
/// routes its events back, and, when it dies, says why (<see cref="Death"/>).
/// <see cref="CSharpKernel"/> owns one at a time and replaces it after a crash.
/// </summary>
internal sealed class CellProcess : IAsyncDisposable
{
    /// <summary>The environment variable that caps the child's managed heap (read by the .NET runtime).</summary>
    public const string HeapLimitVariable = "DOTNET_GCHeapHardLimit";

    /// <summary>
    /// How long a new child may take to connect and compile its first submissions: about 3 s of
    /// CPU, which on a shared 2-core machine under heavy load has been seen to take over a minute.
    /// It only bounds the wait for a child that is broken.
    /// </summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How much of the child's stderr is kept for explaining a crash.</summary>
    private const int KeptErrorText = 16 * 1024;

    /// <summary>
    /// How many of the latest cells can still receive late output (from tasks and threads that
    /// outlived them); an older cell's is dropped. It bounds what a long session keeps.
    /// </summary>
    private const int CellsKeptForLateOutput = 64;

    private readonly Process process;
    private readonly CellHostChannel channel;
    private readonly StringBuilder errorText = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<CellHostMessage?>> pending = new();
    private readonly TaskCompletionSource<string> death = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task errorReader;
    private readonly ConcurrentDictionary<int, Execution> recent = new();
    private int nextId;
    private int? exitRequestedWith;
    private UnhandledExceptionEvent? unhandled;
    private bool diedBetweenCells;
    private Execution? running;

    private sealed record Execution(int Id, Action<CellOutput> Output, Func<string, Task<string?>>? Input, TaskCompletionSource<CellStatus?> Done);

    private CellProcess(Process process, CellHostChannel channel)
    {
        this.process = process;
        this.channel = channel;
        errorReader = ReadErrorsAsync();
        _ = ReadStrayOutputAsync();
    }

    /// <summary>The child's process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>Why this side ended the child, when it was not the cell's doing; null otherwise.</summary>
    public string? EndedBecause { get; private set; }

    /// <summary>Completes with the reason once the child has died (or was killed).</summary>
    public Task<string> Death => death.Task;

    /// <summary>
    /// Starts a child for <paramref name="options"/> and waits until it is ready to run cells.
    /// Throws <see cref="InvalidOperationException"/> with the child's own words if it cannot start.
    /// </summary>
    public static async Task<CellProcess> StartAsync(CSharpKernelOptions options, CancellationToken cancellationToken)
    {
        var hostAssembly = options.CellHostAssembly;
        var runtimeConfig = Path.ChangeExtension(hostAssembly, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
            throw new InvalidOperationException($"cannot start the cell host: {runtimeConfig} is missing (the cell host must be built as an executable)");

        var pipeName = "virtlab-cells-" + Guid.NewGuid().ToString("N")[..12];
        var server = new NamedPipeServerStream(pipeName, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        var start = new ProcessStartInfo(DotNetHost.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { hostAssembly, CellHost.Verb, pipeName }) start.ArgumentList.Add(argument);
        if (options.MemoryLimit is { } limit) start.Environment[HeapLimitVariable] = limit.ToString("X", CultureInfo.InvariantCulture);
        foreach (var (name, value) in options.Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the cell host");
        process.StandardInput.Close(); // a cell that reads the console sees the end of input, never the pipe
        using var connectDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectDeadline.CancelAfter(StartTimeout);
        try
        {
            var connected = server.WaitForConnectionAsync(connectDeadline.Token);
            var exited = process.WaitForExitAsync(connectDeadline.Token);
            if (await Task.WhenAny(connected, exited) != connected)
            {
                await exited;
                throw new InvalidOperationException("the cell host ended before it connected: " + (await process.StandardError.ReadToEndAsync(cancellationToken)).Trim());
            }
            await connected;
        }
        catch (Exception)
        {
            Kill(process);
            await server.DisposeAsync();
            process.Dispose();
            throw;
        }

        var child = new CellProcess(process, new CellHostChannel(server));
        var ready = child.Expect(0);
        child.StartReading();
        child.channel.Send(new ConfigureRequest(
            Path.GetFullPath(options.WorkingDirectory),
            options.PackageCacheDirectory ?? Path.Combine(Path.GetTempPath(), "virtlab-notebooks", "packages"),
            options.RestoreSources,
            options.RestoreTimeout.TotalSeconds,
            options.Host == KernelHost.Jupyter ? "jupyter" : "runner"));
        var first = await Task.WhenAny(ready, child.Death, Task.Delay(StartTimeout, cancellationToken));
        if (first == ready && await ready is ReadyEvent) return child;
        var reason = first == child.Death ? await child.Death : "it did not get ready in time";
        await child.DisposeAsync();
        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException("the cell host could not start: " + reason);
    }

    /// <summary>
    /// Runs <paramref name="code"/> in the child. Outputs go to <paramref name="output"/> as they
    /// come; a line the cell reads from the console is asked of <paramref name="input"/> (none:
    /// the end of input). Returns how the cell ended, or null if the child died first (see <see cref="Death"/>).
    /// </summary>
    public Task<CellStatus?> ExecuteAsync(string code, Action<CellOutput> output, Func<string, Task<string?>>? input = null)
    {
        var execution = new Execution(Interlocked.Increment(ref nextId), output, input, new TaskCompletionSource<CellStatus?>(TaskCreationOptions.RunContinuationsAsynchronously));
        recent[execution.Id] = execution;
        foreach (var id in recent.Keys)
            if (id <= execution.Id - CellsKeptForLateOutput) recent.TryRemove(id, out _);
        Volatile.Write(ref running, execution);
        if (!channel.Send(new ExecuteRequest(execution.Id, code))) execution.Done.TrySetResult(null);
        if (death.Task.IsCompleted) execution.Done.TrySetResult(null);
        return execution.Done.Task;
    }

    /// <summary>Asks the child to stop the running cell; <paramref name="reason"/> becomes the cell's error if it does.</summary>
    public void Interrupt(string reason) => channel.Send(new InterruptRequest(reason));

    /// <summary>Completions from the child, or none if it died.</summary>
    public async Task<Completions> CompleteAsync(string code, int position, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref nextId);
        var reply = Expect(id);
        channel.Send(new CompleteRequest(id, code, position));
        return await reply.WaitAsync(cancellationToken) is CompletionsEvent found
            ? new Completions(found.Start, found.End, found.Items)
            : new Completions(position, position, []);
    }

    /// <summary>What the child knows about the name at <paramref name="position"/>, or null.</summary>
    public async Task<Inspection?> InspectAsync(string code, int position, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref nextId);
        var reply = Expect(id);
        channel.Send(new InspectRequest(id, code, position));
        return await reply.WaitAsync(cancellationToken) is InspectionEvent { PlainText: { } text } found
            ? new Inspection(text, found.Markdown ?? text)
            : null;
    }

    /// <summary>Kills the child (and anything it started) and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill(process);
        await Death;
        channel.Dispose();
        process.Dispose();
    }

    private Task<CellHostMessage?> Expect(int id)
    {
        var reply = new TaskCompletionSource<CellHostMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = reply;
        if (death.Task.IsCompleted) reply.TrySetResult(null);
        return reply.Task;
    }

    private void StartReading() => _ = Task.Run(ReadEventsAsync);

    private async Task ReadEventsAsync()
    {
        try
        {
            while (await channel.ReceiveAsync() is { } message)
            {
                switch (message)
                {
                    case ReadyEvent:
                        Reply(0, message);
                        break;
                    case OutputEvent output when recent.TryGetValue(output.Id, out var execution):
                        execution.Output(output.Output.ToOutput()); // the running cell's, or a late one of an earlier cell
                        break;
                    case ExecutedEvent executed when Volatile.Read(ref running) is { } execution && execution.Id == executed.Id:
                        execution.Done.TrySetResult(executed.Status);
                        break;
                    case CompletionsEvent completions:
                        Reply(completions.Id, message);
                        break;
                    case InspectionEvent inspection:
                        Reply(inspection.Id, message);
                        break;
                    case ExitingEvent exiting:
                        exitRequestedWith = exiting.Code;
                        break;
                    case InputNeededEvent needed:
                        _ = AnswerInputAsync(needed);
                        break;
                    case UnhandledExceptionEvent thrown:
                        Volatile.Write(ref unhandled, thrown);
                        break;
                }
            }
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or InvalidDataException)
        {
            lock (errorText) errorText.Append("\nmalformed message from the cell host: ").Append(error.Message);
        }
        catch (Exception error)
        {
            // The receiver of outputs failed (a fault on this side, not the cell's). With nobody
            // reading, the child would soon block on a full pipe and the cell would hang, so the
            // child is ended and the cell says why.
            EndedBecause = $"VirtLab could not pass on an output of the cell ({error.GetType().Name}: {error.Message}), so it ended the cell's C# process";
            Kill(process);
        }
        await OnChildGoneAsync();
    }

    /// <summary>
    /// Asks the cell's input source for the line it reads, off the reading loop (a person may take
    /// minutes), and sends the answer down: null (the end of input) when there is no source, the
    /// cell is over, or the source failed.
    /// </summary>
    private async Task AnswerInputAsync(InputNeededEvent needed)
    {
        string? line = null;
        if (recent.TryGetValue(needed.Id, out var execution) && execution.Input is { } input && !execution.Done.Task.IsCompleted)
        {
            try
            {
                line = await input(needed.Prompt);
            }
            catch (Exception error)
            {
                lock (errorText) errorText.Append("\ninput for a cell failed: ").Append(error.Message);
            }
        }
        channel.Send(new InputProvidedRequest(needed.Id, line));
    }

    private void Reply(int id, CellHostMessage message)
    {
        if (pending.TryRemove(id, out var reply)) reply.TrySetResult(message);
    }

    /// <summary>The pipe closed: wait for the process to end, then tell everyone waiting why it died.</summary>
    private async Task OnChildGoneAsync()
    {
        if (!process.WaitForExit(TimeSpan.FromSeconds(10))) Kill(process);
        await process.WaitForExitAsync();
        await errorReader;
        var reason = DescribeExit(process.ExitCode, exitRequestedWith, ErrorText);
        diedBetweenCells = Volatile.Read(ref running) is not { Done.Task.IsCompleted: false };
        death.TrySetResult(reason);
        Volatile.Read(ref running)?.Done.TrySetResult(null);
        foreach (var id in pending.Keys)
            if (pending.TryRemove(id, out var reply)) reply.TrySetResult(null);
    }

    /// <summary>
    /// The error for the latest cell after the child died under it, or before it ran (call once
    /// <see cref="Death"/> has completed with <paramref name="reason"/>): what ended the process,
    /// and whose doing it was. A thread that an earlier cell started and that threw is that cell's
    /// doing, not the running cell's; the earlier cell gets the exception itself as a late output.
    /// </summary>
    public string DeathMessage(string reason)
    {
        const string reset = "; the notebook's state was reset";
        if (EndedBecause is { } why) return why + reset;
        var current = Volatile.Read(ref running)?.Id;
        // When a thread threw, the child said which cell it was running then (it may have been the
        // thread's own cell, still finishing); otherwise, whether one was running here tells.
        if (Volatile.Read(ref unhandled) is { } thrown && thrown.Id != current)
        {
            var when = thrown.RunningId == current ? "while this cell ran" : "before this cell ran";
            return $"a thread or task that an earlier cell started threw an exception that nothing caught, and that ended the C# process {when} ({reason}){reset}";
        }
        return diedBetweenCells
            ? $"the C# process ended before this cell ran: {reason}{reset}"
            : $"the cell ended the C# process: {reason}{reset}";
    }

    /// <summary>What the child wrote to stderr outside cells (the runtime's last words on a crash), at most the last 16 KB.</summary>
    public string ErrorText
    {
        get
        {
            lock (errorText) return errorText.ToString();
        }
    }

    /// <summary>
    /// Why the child ended, in words for a student: <c>stack overflow</c>, <c>Environment.Exit(3)</c>,
    /// <c>out of memory</c>, or the exit code or signal.
    /// </summary>
    internal static string DescribeExit(int exitCode, int? exitRequestedWith, string errorText)
    {
        if (exitRequestedWith is { } code) return $"Environment.Exit({code})";
        if (errorText.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase)) return "stack overflow";
        if (errorText.Contains("OutOfMemory", StringComparison.Ordinal) || errorText.Contains("Out of memory", StringComparison.OrdinalIgnoreCase)) return "out of memory";
        // On Unix, .NET reports death by signal N as exit code 128 + N.
        return exitCode switch
        {
            137 => "killed (SIGKILL; the system kills a process that uses up its memory this way)",
            134 => "aborted (SIGABRT)" + FirstLine(errorText),
            139 => "crashed (SIGSEGV)" + FirstLine(errorText),
            _ => $"it exited with code {exitCode}" + FirstLine(errorText),
        };
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } line ? $": {line}" : "";

    private async Task ReadErrorsAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await process.StandardError.ReadAsync(buffer)) > 0)
        {
            lock (errorText)
            {
                errorText.Append(buffer, 0, read);
                if (errorText.Length > KeptErrorText) errorText.Remove(0, errorText.Length - KeptErrorText);
            }
        }
    }

    /// <summary>
    /// Text that reached the child's real stdout, not through <see cref="Console"/> (a program the
    /// cell started, native code): it belongs to the running cell.
    /// </summary>
    private async Task ReadStrayOutputAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            if (Volatile.Read(ref running) is { Done.Task.IsCompleted: false } execution)
                execution.Output(new StreamOutput(StreamOutput.StandardOutput, new string(buffer, 0, read)));
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
