using VirtLab.Hypervisor;

namespace VirtLab.Fleet;

/// <summary>
/// The knobs of the synthetic trace generator (<see cref="SyntheticTraces"/>). Every VM follows
/// <c>level x (1 + diurnal swing) x (1 + noise) + bursts</c>, clamped to 0..100 %. The defaults give
/// a day of bursty, mostly light demand in the spirit of cloud traces; they are made up, and make
/// no claim to match PlanetLab or any other dataset.
/// </summary>
public sealed record SyntheticTraceOptions
{
    /// <summary>How many VMs (traces) to make. Default 1052, the size of the PlanetLab day.</summary>
    public int Vms { get; init; } = 1052;

    /// <summary>Intervals per trace. Default 288 (a day of 5-minute intervals).</summary>
    public int Intervals { get; init; } = 288;

    /// <summary>Seconds per interval. Default 300.</summary>
    public double IntervalSeconds { get; init; } = TraceSet.PlanetLabIntervalSeconds;

    /// <summary>The seed: the same options and seed always give the same traces.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Mean CPU level of a busy (not idle) VM, in percent. Each VM draws its own level from a log-normal distribution with this mean. Default 12 %.</summary>
    public double MeanCpuPercent { get; init; } = 12;

    /// <summary>Spread of the VMs' levels: the sigma of the log-normal (0 = every VM at the mean; 1 = levels over two orders of magnitude). Default 0.9.</summary>
    public double LevelSpread { get; init; } = 0.9;

    /// <summary>Day-night swing as a fraction of a VM's level: 0.4 means 1.4x the level at the peak hour and 0.6x twelve hours later. Default 0.4.</summary>
    public double DiurnalAmplitude { get; init; } = 0.4;

    /// <summary>Hour of the day (0..24) at which demand peaks, on average over the VMs. Default 14.</summary>
    public double PeakHour { get; init; } = 14;

    /// <summary>Standard deviation of each VM's peak hour around <see cref="PeakHour"/>, in hours (VMs serve different time zones). Default 3.</summary>
    public double PeakHourSpread { get; init; } = 3;

    /// <summary>Standard deviation of the noise, as a fraction of the VM's current level. Default 0.3.</summary>
    public double Noise { get; init; } = 0.3;

    /// <summary>Correlation of the noise from one interval to the next (0 = independent samples; near 1 = slow drifts). Default 0.7.</summary>
    public double NoiseCorrelation { get; init; } = 0.7;

    /// <summary>Mean number of bursts per VM per day. Default 1.</summary>
    public double BurstsPerDay { get; init; } = 1;

    /// <summary>Mean length of a burst, in intervals (lengths are geometric). Default 4.</summary>
    public double BurstIntervals { get; init; } = 4;

    /// <summary>CPU added during a burst, in percentage points. Default 40.</summary>
    public double BurstPercent { get; init; } = 40;

    /// <summary>Fraction of the VMs that are idle all day (forgotten or standby VMs). Default 0.15.</summary>
    public double IdleFraction { get; init; } = 0.15;

    /// <summary>CPU level of an idle VM, in percent (its background activity). Default 1 %.</summary>
    public double IdleCpuPercent { get; init; } = 1;

    /// <summary>Throws a <see cref="ConfigurationException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Vms >= 1, "vms", $"{Vms} must be at least 1");
        Require(Intervals >= 1, "intervals", $"{Intervals} must be at least 1");
        Require(IntervalSeconds > 0 && double.IsFinite(IntervalSeconds), "interval-seconds", $"{IntervalSeconds} must be positive");
        Require(MeanCpuPercent > 0 && MeanCpuPercent <= 100, "mean-cpu-percent", $"{MeanCpuPercent} is not a percentage in (0, 100]");
        Require(LevelSpread >= 0 && LevelSpread <= 3, "level-spread", $"{LevelSpread} is not in [0, 3]");
        Require(DiurnalAmplitude >= 0 && DiurnalAmplitude <= 1, "diurnal-amplitude", $"{DiurnalAmplitude} is not a fraction in [0, 1]");
        Require(PeakHour >= 0 && PeakHour <= 24, "peak-hour", $"{PeakHour} is not an hour in [0, 24]");
        Require(PeakHourSpread >= 0 && PeakHourSpread <= 24, "peak-hour-spread", $"{PeakHourSpread} is not in [0, 24] hours");
        Require(Noise >= 0 && Noise <= 2, "noise", $"{Noise} is not in [0, 2]");
        Require(NoiseCorrelation >= 0 && NoiseCorrelation < 1, "noise-correlation", $"{NoiseCorrelation} is not in [0, 1)");
        Require(BurstsPerDay >= 0 && double.IsFinite(BurstsPerDay), "bursts-per-day", $"{BurstsPerDay} must be zero or more");
        Require(BurstIntervals >= 1 && double.IsFinite(BurstIntervals), "burst-intervals", $"{BurstIntervals} must be at least 1");
        Require(BurstPercent >= 0 && BurstPercent <= 100, "burst-percent", $"{BurstPercent} is not a percentage in [0, 100]");
        Require(IdleFraction >= 0 && IdleFraction <= 1, "idle-fraction", $"{IdleFraction} is not a fraction in [0, 1]");
        Require(IdleCpuPercent >= 0 && IdleCpuPercent <= 100, "idle-cpu-percent", $"{IdleCpuPercent} is not a percentage in [0, 100]");
    }

    private static void Require(bool ok, string field, string problem)
    {
        if (!ok) throw new ConfigurationException(field, problem);
    }
}
