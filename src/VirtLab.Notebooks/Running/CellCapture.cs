using System.Text;

namespace VirtLab.Notebooks;

/// <summary>
/// Collects what one running cell produces (console text and displayed values) and hands it on
/// in order, as it happens, so a Jupyter front end sees a long cell's progress live.
/// <para>
/// Console text is gathered for a few milliseconds and sent as one stream output, so a loop of
/// <c>Console.Write</c> calls does not become thousands of messages. <see cref="Current"/> is an
/// <see cref="AsyncLocal{T}"/>: it follows the cell's code into the tasks and threads it starts.
/// </para>
/// <para>
/// A task or thread can outlive its cell (<c>Task.Run</c> without an await, a timer). What it
/// writes after <see cref="End"/> still goes out as this cell's output, never the next cell's:
/// the runner adds it to the cell that started it, and a Jupyter front end that keeps listening
/// (VS Code) shows it under that cell, as ipykernel does for threads.
/// </para>
/// </summary>
internal sealed class CellCapture
{
    /// <summary>How long console text may wait before it is sent (a front end redraws about this often).</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Pending console text is sent at once beyond this many characters.</summary>
    private const int MaximumPendingText = 64 * 1024;

    private static readonly AsyncLocal<CellCapture?> current = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Exception, CellCapture> thrownBy = new();
    private readonly Action<CellOutput> emit;
    private readonly StringBuilder pendingText = new();
    private readonly Lock gate = new();
    private readonly Timer flushTimer;
    private string? pendingStream;
    private bool ended;

    /// <summary>Captures the cell whose host request is <paramref name="cellId"/>; its outputs go to <paramref name="emit"/>.</summary>
    public CellCapture(int cellId, Action<CellOutput> emit)
    {
        CellId = cellId;
        this.emit = emit;
        flushTimer = new Timer(_ => FlushIfIdle(), null, FlushInterval, FlushInterval);
    }

    /// <summary>The id of the cell's <see cref="ExecuteRequest"/>.</summary>
    public int CellId { get; }

    /// <summary>True once the cell's own code has finished; what comes after is late output.</summary>
    public bool Ended
    {
        get
        {
            lock (gate) return ended;
        }
    }

    /// <summary>The capture of the cell whose code is running on this flow, or null outside cells.</summary>
    public static CellCapture? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    /// <summary>
    /// Remembers which cell's code is throwing <paramref name="exception"/> (call it from
    /// <see cref="AppDomain.FirstChanceException"/>). By the time an exception is found unhandled,
    /// .NET has already put the thread's own context back, so <see cref="Current"/> no longer
    /// says; this does, for as long as the exception lives.
    /// </summary>
    public static void NoteThrow(Exception exception)
    {
        if (Current is { } capture) thrownBy.TryAdd(exception, capture);
    }

    /// <summary>The capture of the cell whose code (or a task or thread it started) threw <paramref name="exception"/>, if any.</summary>
    public static CellCapture? ThatThrew(Exception exception) => thrownBy.TryGetValue(exception, out var capture) ? capture : null;

    public void Write(string streamName, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (pendingStream != streamName) FlushLocked();
            var wasEmpty = pendingText.Length == 0;
            pendingStream = streamName;
            pendingText.Append(text);
            if (pendingText.Length > MaximumPendingText) FlushLocked();
            // After the cell, the periodic timer is off: the first late text arms one flush.
            else if (ended && wasEmpty) flushTimer.Change(FlushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Sends the console text still pending (the prompt a cell printed before it reads a line).</summary>
    public void Flush()
    {
        lock (gate) FlushLocked();
    }

    public void Add(CellOutput output)
    {
        lock (gate)
        {
            FlushLocked();
            emit(output);
        }
    }

    /// <summary>
    /// The timer's flush. It runs on a thread-pool thread every <see cref="FlushInterval"/>, so it
    /// must never wait: while the cell's own thread holds the gate (sending a large output, which
    /// can take a while), a flush that blocked would hold a pool thread, twenty times a second,
    /// until the pool ran out of threads; then nothing that needs the pool (the pipe's own
    /// completions among it) would run. Text still pending goes out with the next tick or output.
    /// </summary>
    private void FlushIfIdle()
    {
        if (!gate.TryEnter()) return;
        try
        {
            FlushLocked();
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>
    /// The cell's own code has finished: sends what is pending, so it comes before the cell's end,
    /// and stops the periodic flush. A capture nothing writes to any more is then garbage, timer
    /// and all; one a background task still holds flushes only when that task writes.
    /// </summary>
    public void End()
    {
        lock (gate)
        {
            FlushLocked();
            ended = true;
            flushTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void FlushLocked()
    {
        if (pendingStream is null || pendingText.Length == 0) return;
        emit(new StreamOutput(pendingStream, pendingText.ToString()));
        pendingText.Clear();
    }
}
