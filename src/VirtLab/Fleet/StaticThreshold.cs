namespace VirtLab.Fleet;

/// <summary>
/// THR: a host is overloaded when its utilization is above a fixed threshold (0.8 in the published
/// THR-MMT-0.8). The simplest detector, and the fallback of the adaptive ones while they lack history.
/// </summary>
public sealed class StaticThreshold : IOverloadDetector
{
    /// <summary>
    /// The threshold the adaptive detectors use until they have enough history: 0.7, as in CloudSim's
    /// PlanetLab runner (PlanetLabRunner / Helper: the fallback policy of IQR, MAD, LR and LRR).
    /// </summary>
    public const double Fallback = 0.7;

    /// <summary>A detector that calls a host overloaded above <paramref name="threshold"/> (a fraction of its capacity, in (0, 1]).</summary>
    public StaticThreshold(double threshold)
    {
        if (!(threshold > 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), $"{threshold} is not a utilization threshold in (0, 1]");
        Threshold = threshold;
    }

    /// <summary>The utilization above which a host is overloaded.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public string Name => FormattableString.Invariant($"thr-{Threshold:0.###}");

    /// <inheritdoc/>
    public int HistoryLength => 1;

    /// <inheritdoc/>
    public bool IsOverloaded(HostLoad host) => host.Utilization > Threshold;
}
