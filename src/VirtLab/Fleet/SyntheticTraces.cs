namespace VirtLab.Fleet;

/// <summary>
/// A seeded generator of synthetic workload traces, for lessons and tests that must not depend on
/// real data. It is synthetic: a diurnal cycle, correlated noise, bursts and idle VMs, each a
/// named parameter of <see cref="SyntheticTraceOptions"/>, with no claim to match any dataset.
/// The same options always give the same traces.
/// </summary>
public static class SyntheticTraces
{
    private const double SecondsPerDay = 24 * 3600;

    /// <summary>Generates <see cref="SyntheticTraceOptions.Vms"/> traces named <c>synthetic-0000</c>, ...</summary>
    public static TraceSet Generate(SyntheticTraceOptions options)
    {
        options.Validate();
        var random = new Random(options.Seed);
        int digits = Math.Max(4, options.Vms.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        double intervalsPerDay = SecondsPerDay / options.IntervalSeconds;
        double burstStart = Math.Min(1, options.BurstsPerDay / intervalsPerDay);
        double burstEnd = 1 / options.BurstIntervals;
        double innovation = Math.Sqrt(1 - options.NoiseCorrelation * options.NoiseCorrelation);
        // A log-normal with mean M has mu = ln M - sigma^2 / 2.
        double mu = Math.Log(options.MeanCpuPercent) - options.LevelSpread * options.LevelSpread / 2;

        var traces = new Trace[options.Vms];
        var values = new double[options.Intervals];
        for (int v = 0; v < options.Vms; v++)
        {
            bool idle = random.NextDouble() < options.IdleFraction;
            double level = idle ? options.IdleCpuPercent : Math.Min(95, Math.Exp(mu + options.LevelSpread * Gaussian(random)));
            double peakSeconds = (options.PeakHour + options.PeakHourSpread * Gaussian(random)) * 3600;
            double noise = Gaussian(random);
            bool bursting = false;
            for (int k = 0; k < options.Intervals; k++)
            {
                double t = (k + 0.5) * options.IntervalSeconds;
                double diurnal = 1 + options.DiurnalAmplitude * Math.Cos(2 * Math.PI * (t - peakSeconds) / SecondsPerDay);
                noise = options.NoiseCorrelation * noise + innovation * Gaussian(random);
                double value = level * diurnal * Math.Max(0, 1 + options.Noise * noise);
                if (!idle)
                {
                    bursting = bursting ? random.NextDouble() >= burstEnd : random.NextDouble() < burstStart;
                    if (bursting) value += options.BurstPercent;
                }
                values[k] = Math.Clamp(Math.Round(value, 2), 0, 100);
            }
            traces[v] = new Trace("synthetic-" + v.ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture), values);
        }
        return new TraceSet($"synthetic (seed {options.Seed})", traces, options.IntervalSeconds);
    }

    /// <summary>A standard normal sample (Box-Muller).</summary>
    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
