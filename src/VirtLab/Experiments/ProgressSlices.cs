namespace VirtLab.Experiments;

/// <summary>
/// Splits an experiment's progress into equal slices, one per run: run i reports 0..1 of its own,
/// which becomes (i + fraction) / count of the whole. Reports never go backwards.
/// </summary>
internal sealed class ProgressSlices(IProgress<double>? overall, int count)
{
    private double _last = -1;

    /// <summary>The progress to hand to run <paramref name="index"/> (0-based).</summary>
    public IProgress<double>? Slice(int index) => overall is null ? null : new Reporter(f => Report((index + Math.Clamp(f, 0, 1)) / count));

    /// <summary>Reports that <paramref name="completed"/> runs are done.</summary>
    public void Completed(int completed) => Report(completed / (double)count);

    private void Report(double fraction)
    {
        fraction = Math.Min(1, fraction);
        if (overall is null || fraction <= _last) return;
        _last = fraction;
        overall.Report(fraction);
    }

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Reporter(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
