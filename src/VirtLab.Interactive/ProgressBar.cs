using System.Text;

namespace VirtLab.Interactive;

/// <summary>
/// An <see cref="IProgress{T}"/> for long runs in a notebook: a text bar that grows on the cell's
/// output as the run reports its fraction done, and ends the line when the run reports 1:
/// <code>
/// cpu-overcommit [####################] done
/// </code>
/// It writes one <c>#</c> per <see cref="Steps"/>-th of the run, never anything that depends on
/// the host's speed, so the output is the same on every run and every machine (the course site and
/// saved notebooks stay deterministic). Reports are taken on the calling thread, at once (unlike
/// <see cref="Progress{T}"/>, which posts them to the thread pool and may reorder them).
/// <example>
/// <code>
/// var result = CpuOvercommit.Run(new() { Ratios = [1, 2, 4] }, Notebook.Progress("cpu-overcommit"));
/// </code>
/// </example>
/// </summary>
public sealed class ProgressBar : IProgress<double>
{
    /// <summary>Steps of the bar when none is given.</summary>
    public const int DefaultSteps = 20;

    private readonly TextWriter? _writer;
    private readonly Lock _gate = new();
    private int _drawn = -1;   // steps drawn so far; -1 before the label is written
    private bool _done;

    /// <summary>A bar labelled <paramref name="label"/>, of <paramref name="steps"/> steps, written to <paramref name="writer"/> (the console when null: the cell's output).</summary>
    public ProgressBar(string label, int steps = DefaultSteps, TextWriter? writer = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        Label = label;
        Steps = steps;
        _writer = writer;
    }

    /// <summary>What the bar is about, written before it.</summary>
    public string Label { get; }

    /// <summary>How many <c>#</c> a whole run draws.</summary>
    public int Steps { get; }

    /// <summary>The largest fraction reported so far, 0..1.</summary>
    public double Fraction { get; private set; }

    /// <summary>True once a report of 1 (or more) has ended the bar.</summary>
    public bool IsDone => _done;

    /// <summary>
    /// Takes the fraction done, 0..1. The bar only grows: a smaller fraction than before changes
    /// nothing, and so does any report after the bar is done (NaN counts as no progress).
    /// </summary>
    public void Report(double value)
    {
        lock (_gate)
        {
            if (_done) return;
            double fraction = double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);
            var text = new StringBuilder();
            if (_drawn < 0) { text.Append(Label).Append(" ["); _drawn = 0; }
            int steps = (int)Math.Floor(fraction * Steps + 1e-9);
            if (steps > _drawn) { text.Append('#', steps - _drawn); _drawn = steps; }
            Fraction = Math.Max(Fraction, fraction);
            if (fraction >= 1) { text.Append("] done").Append('\n'); _done = true; }
            if (text.Length > 0)
            {
                var writer = _writer ?? Console.Out;
                writer.Write(text.ToString());
                writer.Flush();
            }
        }
    }
}
