namespace VirtLab.Fleet;

/// <summary>
/// An adaptive utilization threshold (Beloglazov and Buyya 2012, section 5.2): the more a host's
/// utilization has varied, the lower the threshold, <c>1 - s x spread(history)</c>, so that a
/// volatile host keeps more headroom. <see cref="MedianAbsoluteDeviation"/> and
/// <see cref="InterquartileRange"/> differ only in how they measure the spread.
/// </summary>
public abstract class AdaptiveThreshold : IOverloadDetector
{
    /// <summary>
    /// Samples of history the adaptive thresholds need before they trust their estimate: 12, "a safe
    /// value" in CloudSim's code (PowerVmAllocationPolicyMigrationMedianAbsoluteDeviation). With less,
    /// they use <see cref="StaticThreshold.Fallback"/>.
    /// </summary>
    public const int MinimumHistory = 12;

    /// <summary>Samples of history used at most: 30, as in CloudSim (PowerVm.HISTORY_LENGTH).</summary>
    public const int MaximumHistory = 30;

    private readonly StaticThreshold _fallback = new(StaticThreshold.Fallback);

    /// <summary>A detector with safety parameter <paramref name="safety"/> (the published runs use 2.5 for MAD, 1.5 for IQR).</summary>
    protected AdaptiveThreshold(double safety)
    {
        if (!(safety >= 0 && double.IsFinite(safety))) throw new ArgumentOutOfRangeException(nameof(safety), $"{safety} is not a safety parameter (0 or more)");
        Safety = safety;
    }

    /// <summary>The safety parameter s: how many spreads of headroom to keep.</summary>
    public double Safety { get; }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public int HistoryLength => MaximumHistory;

    /// <summary>The spread of a history whose values are <paramref name="sorted"/> in ascending order (the detector may reorder them).</summary>
    protected abstract double Spread(Span<double> sorted);

    /// <summary>The threshold for <paramref name="host"/>, or null while its history is shorter than <see cref="MinimumHistory"/>.</summary>
    public double? Threshold(HostLoad host)
    {
        int n = host.History.Count;
        if (n < MinimumHistory) return null;
        Span<double> sorted = stackalloc double[n];
        host.History.AsSpan().CopyTo(sorted);
        sorted.Sort();
        return 1 - Safety * Spread(sorted);
    }

    /// <inheritdoc/>
    public bool IsOverloaded(HostLoad host) =>
        Threshold(host) is double threshold ? host.Utilization > threshold : _fallback.IsOverloaded(host);

    /// <summary>
    /// The <paramref name="q"/>-quantile of values <paramref name="sorted"/> in ascending order,
    /// interpolating linearly between order statistics (R's and NumPy's default); q = 0.5 is the median.
    /// </summary>
    protected static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)position;
        return below + 1 < sorted.Length ? sorted[below] + (sorted[below + 1] - sorted[below]) * (position - below) : sorted[below];
    }
}
