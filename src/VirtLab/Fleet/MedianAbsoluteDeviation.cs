namespace VirtLab.Fleet;

/// <summary>
/// MAD: the adaptive threshold <c>1 - s x MAD</c>, the median absolute deviation of the host's
/// utilization history, a spread that a few outliers do not move (published run: MAD-MMT-2.5).
/// </summary>
public sealed class MedianAbsoluteDeviation(double safety) : AdaptiveThreshold(safety)
{
    /// <inheritdoc/>
    public override string Name => FormattableString.Invariant($"mad-{Safety:0.###}");

    /// <inheritdoc/>
    protected override double Spread(Span<double> sorted)
    {
        double median = Quantile(sorted, 0.5);
        for (int i = 0; i < sorted.Length; i++) sorted[i] = Math.Abs(sorted[i] - median);
        sorted.Sort();
        return Quantile(sorted, 0.5);
    }
}
