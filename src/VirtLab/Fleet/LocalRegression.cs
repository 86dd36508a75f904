namespace VirtLab.Fleet;

/// <summary>
/// LR and LRR (Beloglazov and Buyya 2012, section 5.3): fit a straight line to the host's last
/// <see cref="Window"/> utilizations by local regression (Cleveland's loess: least squares weighted
/// by the tricube function, so the newest samples count most and the oldest not at all), extend it
/// to when a migration started now would end, and call the host overloaded if
/// <c>s x predicted utilization &gt;= 1</c>. The robust variant (LRR) refits with bisquare weights
/// that discount samples far from the previous line (<see cref="RobustIterations"/> times), so a
/// single spike does not tilt it.
/// With fewer than <see cref="Window"/> samples it uses <see cref="StaticThreshold.Fallback"/>.
/// <para>
/// CloudSim 3's code computes these weights but never applies them (its weighted fit only weights
/// when 40 % of the weights are zero), so its LR and LRR are the same plain least-squares line;
/// VirtLab weights as the paper describes.
/// </para>
/// </summary>
public sealed class LocalRegression : IOverloadDetector
{
    /// <summary>Samples the line is fitted to: 10, "to make the regression responsive enough to latest values" (CloudSim, PowerVmAllocationPolicyMigrationLocalRegression).</summary>
    public const int Window = 10;

    /// <summary>Bisquare scale: residuals beyond 6 median absolute residuals get no weight (Cleveland 1979).</summary>
    private const double BisquareScale = 6;

    /// <summary>Robustness iterations of LRR: 3, the default of Cleveland's lowess (R's <c>lowess(iter = 3)</c>). CloudSim does one.</summary>
    public const int RobustIterations = 3;

    private static readonly double[] Tricube = TricubeWeights();
    private readonly StaticThreshold _fallback = new(StaticThreshold.Fallback);

    /// <summary>A detector with safety parameter <paramref name="safety"/> (1.2 in the published runs); <paramref name="robust"/> for LRR.</summary>
    public LocalRegression(double safety, bool robust = false)
    {
        if (!(safety > 0 && double.IsFinite(safety))) throw new ArgumentOutOfRangeException(nameof(safety), $"{safety} is not a safety parameter (above 0)");
        Safety = safety;
        Robust = robust;
    }

    /// <summary>The safety parameter s: the prediction is multiplied by it before it is compared with 1.</summary>
    public double Safety { get; }

    /// <summary>True for the robust variant (LRR).</summary>
    public bool Robust { get; }

    /// <inheritdoc/>
    public string Name => FormattableString.Invariant($"{(Robust ? "lrr" : "lr")}-{Safety:0.###}");

    /// <inheritdoc/>
    public int HistoryLength => Window;

    /// <inheritdoc/>
    public bool IsOverloaded(HostLoad host) =>
        Predict(host) is double predicted ? Safety * predicted >= 1 : _fallback.IsOverloaded(host);

    /// <summary>
    /// The utilization the fitted line predicts for <paramref name="host"/> when a migration started
    /// now would end (at least one interval ahead), or null while the history is shorter than <see cref="Window"/>.
    /// </summary>
    public double? Predict(HostLoad host)
    {
        if (host.History.Count < Window) return null;
        ReadOnlySpan<double> y = host.History.AsSpan(host.History.Count - Window, Window);
        Span<double> weights = stackalloc double[Window];
        Tricube.CopyTo(weights);
        if (!Fit(y, weights, out double a, out double b)) return null;
        Span<double> residuals = stackalloc double[Window];
        for (int iteration = 0; Robust && iteration < RobustIterations; iteration++)
        {
            for (int i = 0; i < Window; i++) residuals[i] = Math.Abs(y[i] - (a + b * (i + 1)));
            double scale = BisquareScale * MedianOf(residuals);
            if (scale <= 0) break;   // the line goes through at least half the points: nothing to discount
            for (int i = 0; i < Window; i++)
            {
                double u = residuals[i] / scale;
                weights[i] = Tricube[i] * (u < 1 ? (1 - u * u) * (1 - u * u) : 0);
            }
            if (!Fit(y, weights, out double ra, out double rb)) break;   // too few points keep weight: keep the last line
            (a, b) = (ra, rb);
        }
        double ahead = Math.Max(1, Math.Ceiling(host.LongestMigrationSeconds / host.IntervalSeconds));
        return a + b * (Window + ahead);
    }

    /// <summary>Weighted least squares of y against x = 1..n; false when the weights leave fewer than two distinct points.</summary>
    private static bool Fit(ReadOnlySpan<double> y, ReadOnlySpan<double> w, out double a, out double b)
    {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double x = i + 1;
            sw += w[i];
            sx += w[i] * x;
            sy += w[i] * y[i];
            sxx += w[i] * x * x;
            sxy += w[i] * x * y[i];
        }
        double denominator = sw * sxx - sx * sx;
        if (sw <= 0 || Math.Abs(denominator) < 1e-12 * Math.Max(1, sw * sxx))
        {
            a = b = 0;
            return false;
        }
        b = (sw * sxy - sx * sy) / denominator;
        a = (sy - b * sx) / sw;
        return true;
    }

    /// <summary>Tricube weights about the newest sample: (1 - (d / dmax)^3)^3 for a sample d steps older, dmax = n - 1.</summary>
    private static double[] TricubeWeights()
    {
        var weights = new double[Window];
        for (int i = 0; i < Window; i++)
        {
            double d = (double)(Window - 1 - i) / (Window - 1);
            double t = 1 - d * d * d;
            weights[i] = t * t * t;
        }
        return weights;
    }

    private static double MedianOf(Span<double> values)
    {
        Span<double> sorted = stackalloc double[values.Length];
        values.CopyTo(sorted);
        sorted.Sort();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
