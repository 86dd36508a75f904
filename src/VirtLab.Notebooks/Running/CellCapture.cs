namespace VirtLab.Notebooks;

/// <summary>
/// Collects what one running cell produces — console text and displayed values — in order.
/// <para>
/// <see cref="Current"/> is an <see cref="AsyncLocal{T}"/>: it follows the cell's code into the
/// tasks and threads it starts, so a late write from a cell that timed out still lands in that
/// cell's capture and never in the next cell's outputs.
/// </para>
/// </summary>
internal sealed class CellCapture
{
    private static readonly AsyncLocal<CellCapture?> current = new();
    private readonly List<CellOutput> outputs = [];
    private bool closed;

    /// <summary>The capture of the cell whose code is running on this flow, or null outside cells.</summary>
    public static CellCapture? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public void Write(string streamName, string text)
    {
        if (text.Length == 0) return;
        lock (outputs)
        {
            if (closed) return;
            // Consecutive writes to one stream make one output, as in VS Code.
            if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == streamName)
                outputs[^1] = last with { Text = last.Text + text };
            else
                outputs.Add(new StreamOutput(streamName, text));
        }
    }

    public void Add(CellOutput output)
    {
        lock (outputs)
        {
            if (!closed) outputs.Add(output);
        }
    }

    /// <summary>Stops collecting and returns the outputs gathered so far.</summary>
    public IReadOnlyList<CellOutput> Close()
    {
        lock (outputs)
        {
            closed = true;
            return outputs.ToList();
        }
    }
}
