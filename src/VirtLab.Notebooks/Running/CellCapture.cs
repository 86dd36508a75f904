using System.Text;

namespace VirtLab.Notebooks;

/// <summary>
/// Collects what one running cell produces (console text and displayed values) and hands it on
/// in order, as it happens, so a Jupyter front end sees a long cell's progress live.
/// <para>
/// Console text is gathered for a few milliseconds and sent as one stream output, so a loop of
/// <c>Console.Write</c> calls does not become thousands of messages. <see cref="Current"/> is an
/// <see cref="AsyncLocal{T}"/>: it follows the cell's code into the tasks and threads it starts,
/// so a late write from a cell that already ended is dropped instead of landing in the next cell.
/// </para>
/// </summary>
internal sealed class CellCapture : IDisposable
{
    /// <summary>How long console text may wait before it is sent (a front end redraws about this often).</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Pending console text is sent at once beyond this many characters.</summary>
    private const int MaximumPendingText = 64 * 1024;

    private static readonly AsyncLocal<CellCapture?> current = new();
    private readonly Action<CellOutput> emit;
    private readonly StringBuilder pendingText = new();
    private readonly Lock gate = new();
    private readonly Timer flushTimer;
    private string? pendingStream;
    private bool closed;

    public CellCapture(Action<CellOutput> emit)
    {
        this.emit = emit;
        flushTimer = new Timer(_ => FlushIfIdle(), null, FlushInterval, FlushInterval);
    }

    /// <summary>The capture of the cell whose code is running on this flow, or null outside cells.</summary>
    public static CellCapture? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public void Write(string streamName, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (closed) return;
            if (pendingStream != streamName) FlushLocked();
            pendingStream = streamName;
            pendingText.Append(text);
            if (pendingText.Length > MaximumPendingText) FlushLocked();
        }
    }

    public void Add(CellOutput output)
    {
        lock (gate)
        {
            if (closed) return;
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

    /// <summary>Sends what is pending and stops collecting: later writes are dropped.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            FlushLocked();
            closed = true;
        }
        flushTimer.Dispose();
    }

    private void FlushLocked()
    {
        if (pendingStream is null || pendingText.Length == 0 || closed) return;
        emit(new StreamOutput(pendingStream, pendingText.ToString()));
        pendingText.Clear();
    }
}
