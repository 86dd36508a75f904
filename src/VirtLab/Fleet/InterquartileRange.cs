namespace VirtLab.Fleet;

/// <summary>
/// IQR: the adaptive threshold <c>1 - s x IQR</c>, the distance between the first and third
/// quartiles of the host's utilization history (published run: IQR-MMT-1.5).
/// </summary>
public sealed class InterquartileRange(double safety) : AdaptiveThreshold(safety)
{
    /// <inheritdoc/>
    public override string Name => FormattableString.Invariant($"iqr-{Safety:0.###}");

    /// <inheritdoc/>
    protected override double Spread(Span<double> sorted) => Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
}
