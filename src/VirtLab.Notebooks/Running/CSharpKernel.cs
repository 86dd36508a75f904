using System.Globalization;

namespace VirtLab.Notebooks;

/// <summary>
/// VirtLab's C# kernel: runs cells, one after another and sharing state, in a child process that
/// it controls. It is the one execution engine of VirtLab: the headless <see cref="NotebookRunner"/>
/// and the Jupyter kernel (VirtLab.Kernel) both drive it, so a cell means the same thing in both.
/// <para>
/// The child is what makes a student's mistake harmless. A cell that overflows its stack, calls
/// <see cref="Environment.Exit(int)"/> or runs out of memory ends only the child: the cell gets the
/// error "the cell ended the C# process: stack overflow; the notebook's state was reset", and a
/// fresh child (empty state) runs the next cell. A cell that runs past its timeout, or that is
/// interrupted and does not stop within <see cref="CSharpKernelOptions.InterruptGrace"/>, has its
/// child killed, so it never keeps burning a core; .NET cannot abort a running thread, so killing
/// the process is the only sure way.
/// </para>
/// <para>
/// A task or thread that a cell starts belongs to that cell, even once it has finished: what it
/// writes later reaches that cell's output receiver, and if it throws an exception that nothing
/// catches (which ends the process) that cell gets the exception, while the cell running then,
/// or the next one, is told it was an earlier cell's doing.
/// </para>
/// <example>
/// <code>
/// await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = "notebooks" });
/// var status = await kernel.ExecuteAsync("Console.WriteLine(6 * 7);", output => Console.WriteLine(output));
/// </code>
/// </example>
/// </summary>
public sealed class CSharpKernel : IAsyncDisposable
{
    private readonly Lock gate = new();
    private Task<CellProcess> child;
    private TaskCompletionSource? interruption;
    private bool disposed;

    private CSharpKernel(CSharpKernelOptions options, Task<CellProcess> child)
    {
        Options = options;
        this.child = child;
    }

    /// <summary>How this kernel was started.</summary>
    public CSharpKernelOptions Options { get; }

    /// <summary>How many times the child was replaced after a crash, a timeout, an interrupt or a restart.</summary>
    public int Replacements { get; private set; }

    /// <summary>Starts the child process and waits until it can run cells.</summary>
    public static async Task<CSharpKernel> StartAsync(CSharpKernelOptions? options = null, CancellationToken cancellationToken = default)
    {
        var kernel = Create(options);
        await kernel.child.WaitAsync(cancellationToken);
        return kernel;
    }

    /// <summary>
    /// Starts the child process without waiting for it; the first request waits instead. A Jupyter
    /// kernel uses this to answer its front end at once while the child warms up.
    /// </summary>
    public static CSharpKernel Create(CSharpKernelOptions? options = null)
    {
        options ??= new CSharpKernelOptions();
        return new CSharpKernel(options, CellProcess.StartAsync(options, CancellationToken.None));
    }

    /// <summary>The process id of the current child (waits for it to start).</summary>
    public async Task<int> GetProcessIdAsync() => (await CurrentChildAsync(CancellationToken.None)).ProcessId;

    /// <summary>
    /// Runs one cell. Outputs reach <paramref name="output"/> in order, as the cell produces them
    /// (calls never overlap). A cell that runs longer than <paramref name="timeout"/> is stopped
    /// (see <see cref="CSharpKernelOptions.InterruptGrace"/>). Never throws for anything the cell
    /// does: failures are error outputs and a status. A task or thread the cell started can still
    /// send <paramref name="output"/> its output after this has returned.
    /// <para>
    /// When the cell reads a line from the console (<c>Console.ReadLine()</c>), <paramref name="input"/>
    /// is asked for it with a prompt; it may take as long as a person takes, and null is the end of
    /// input. Without it the cell reads the end of input at once, as in the headless runner. An
    /// interrupt stops a cell that waits for a line.
    /// </para>
    /// </summary>
    public async Task<CellStatus> ExecuteAsync(string code, Action<CellOutput> output, TimeSpan? timeout = null, CancellationToken cancellationToken = default,
        Func<string, Task<string?>>? input = null)
    {
        var process = await CurrentChildAsync(cancellationToken);
        var outputGate = new Lock();
        void Emit(CellOutput item)
        {
            lock (outputGate) output(item);
        }

        var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate) interruption = interrupted;
        try
        {
            var execution = process.ExecuteAsync(code, Emit, input);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } limit) deadline.CancelAfter(limit);
            var stopAsked = Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            var first = await Task.WhenAny(execution, stopAsked, interrupted.Task);
            if (first == execution) return await Finish(process, await execution, Emit);

            // Asked to stop: by the timeout, by an interrupt, or by the caller.
            var timedOut = first == stopAsked && !cancellationToken.IsCancellationRequested;
            var what = timedOut
                ? $"cell timed out after {timeout!.Value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
                : "the cell was interrupted";
            process.Interrupt(what);
            if (await Task.WhenAny(execution, Task.Delay(Options.InterruptGrace)) == execution)
            {
                // It stopped (or finished just in time) and the child lives on with its state.
                var status = await execution;
                if (status is null) return await Finish(process, status, Emit);
                return timedOut && status == CellStatus.Interrupted ? CellStatus.TimedOut : status.Value;
            }

            Replace(process);
            Emit(ErrorOutput.FromMessage($"{what}; it did not stop, so its C# process was ended and the notebook's state was reset"));
            cancellationToken.ThrowIfCancellationRequested();
            return timedOut ? CellStatus.TimedOut : CellStatus.Interrupted;
        }
        finally
        {
            lock (gate) interruption = null;
        }
    }

    /// <summary>
    /// Interrupts the running cell, if any (Jupyter's interrupt button). A cell that is sleeping,
    /// waiting or restoring packages stops and the notebook keeps its state; one that computes
    /// loses its process after <see cref="CSharpKernelOptions.InterruptGrace"/>.
    /// </summary>
    public void Interrupt()
    {
        lock (gate) interruption?.TrySetResult();
    }

    /// <summary>Completion candidates at <paramref name="position"/> (a UTF-16 offset) in a cell's <paramref name="code"/>.</summary>
    public async Task<Completions> CompleteAsync(string code, int position, CancellationToken cancellationToken = default) =>
        await (await CurrentChildAsync(cancellationToken)).CompleteAsync(code, position, cancellationToken);

    /// <summary>The signature and doc comment of the name at <paramref name="position"/>, or null if there is none.</summary>
    public async Task<Inspection?> InspectAsync(string code, int position, CancellationToken cancellationToken = default) =>
        await (await CurrentChildAsync(cancellationToken)).InspectAsync(code, position, cancellationToken);

    /// <summary>Ends the child and starts a fresh one: every variable, type and loaded package is forgotten.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Replace(await CurrentChildAsync(cancellationToken));
        await CurrentChildAsync(cancellationToken);
    }

    /// <summary>Ends the child process.</summary>
    public async ValueTask DisposeAsync()
    {
        Task<CellProcess> last;
        lock (gate)
        {
            disposed = true;
            last = child;
        }
        try
        {
            await (await last).DisposeAsync();
        }
        catch (InvalidOperationException)
        {
            // it never started
        }
    }

    private async Task<CellStatus> Finish(CellProcess process, CellStatus? status, Action<CellOutput> emit)
    {
        if (status is { } ended) return ended;
        var message = process.DeathMessage(await process.Death);
        var lastWords = process.ErrorText.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(12);
        emit(new ErrorOutput("Error", message, [message, .. lastWords]));
        Replace(process);
        return CellStatus.Crashed;
    }

    private Task<CellProcess> CurrentChildAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return child.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Kills <paramref name="process"/> (if it is still the current child) and starts its successor at once.</summary>
    private void Replace(CellProcess process)
    {
        lock (gate)
        {
            if (disposed || !child.IsCompletedSuccessfully || child.Result != process) return;
            child = ReplaceAsync(process);
            Replacements++;
        }
    }

    private async Task<CellProcess> ReplaceAsync(CellProcess old)
    {
        await old.DisposeAsync();
        return await CellProcess.StartAsync(Options, CancellationToken.None);
    }
}
