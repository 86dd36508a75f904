using VirtLab.Fleet;
using VirtLab.Hypervisor;

namespace VirtLab.Tests.Fleet;

/// <summary>The synthetic generator: seeded and deterministic, and each named parameter does what it says.</summary>
public class SyntheticTracesTests
{
    private static SyntheticTraceOptions Plain => new()
    {
        Vms = 50, Intervals = 288, LevelSpread = 0, DiurnalAmplitude = 0, PeakHourSpread = 0, Noise = 0, BurstsPerDay = 0, IdleFraction = 0,
    };

    [Fact]
    public void TheSameSeedGivesTheSameTracesAndAnotherSeedOthers()
    {
        var options = new SyntheticTraceOptions { Vms = 200, Seed = 7 };
        var one = SyntheticTraces.Generate(options);
        var two = SyntheticTraces.Generate(options);
        var other = SyntheticTraces.Generate(options with { Seed = 8 });
        Assert.Equal(one.Traces.Select(t => t.CpuPercent), two.Traces.Select(t => t.CpuPercent));
        Assert.NotEqual(one.Traces.SelectMany(t => t.CpuPercent), other.Traces.SelectMany(t => t.CpuPercent));
        Assert.Equal("synthetic-0000", one.Traces[0].Name);
        Assert.Equal("synthetic (seed 7)", one.Source);
        Assert.All(one.Traces, t => Assert.All(t.CpuPercent, v => Assert.InRange(v, 0, 100)));
    }

    [Fact]
    public void TheDefaultsGiveLightBurstyDemand()
    {
        var set = SyntheticTraces.Generate(new SyntheticTraceOptions { Vms = 1000 });
        Assert.Equal(288, set.Intervals);
        double mean = set.Traces.Average(t => t.MeanCpuPercent);
        Assert.InRange(mean, 8, 16);
        Assert.True(set.Traces.Max(t => t.PeakCpuPercent) > 60, "bursts reach high use");
        Assert.True(set.Traces.Count(t => t.MeanCpuPercent < 2) > 100, "about 15 % of the VMs are idle");
    }

    [Fact]
    public void WithoutRandomnessEveryVmSitsAtTheMean()
    {
        var set = SyntheticTraces.Generate(Plain with { MeanCpuPercent = 20 });
        Assert.All(set.Traces, t => Assert.All(t.CpuPercent, v => Assert.Equal(20, v, 6)));
    }

    [Fact]
    public void TheDiurnalCyclePeaksAtThePeakHour()
    {
        var trace = SyntheticTraces.Generate(Plain with { MeanCpuPercent = 20, DiurnalAmplitude = 0.5, PeakHour = 14 }).Traces[0];
        int peak = Enumerable.Range(0, trace.Length).MaxBy(k => trace.CpuPercent[k]);
        int trough = Enumerable.Range(0, trace.Length).MinBy(k => trace.CpuPercent[k]);
        Assert.InRange((peak + 0.5) * 300, 14 * 3600 - 150, 14 * 3600 + 150);    // the middle of its interval within 2.5 minutes of 14:00
        Assert.InRange((trough + 0.5) * 300, 2 * 3600 - 150, 2 * 3600 + 150);    // twelve hours away
        Assert.Equal(30, trace.PeakCpuPercent, 1);   // 20 x (1 + 0.5)
        Assert.Equal(10, trace.CpuPercent.Min(), 1); // 20 x (1 - 0.5)
    }

    [Fact]
    public void IdleVmsStayAtTheirIdleLevel()
    {
        var set = SyntheticTraces.Generate(Plain with { IdleFraction = 1, IdleCpuPercent = 2, BurstsPerDay = 10 });
        Assert.All(set.Traces, t => Assert.All(t.CpuPercent, v => Assert.Equal(2, v, 6)));
    }

    [Fact]
    public void BurstsAddTheirPercentForAboutTheirLength()
    {
        var set = SyntheticTraces.Generate(Plain with { Vms = 400, MeanCpuPercent = 10, BurstsPerDay = 2, BurstIntervals = 5, BurstPercent = 40 });
        var values = set.Traces.SelectMany(t => t.CpuPercent).ToList();
        Assert.All(values, v => Assert.True(Math.Abs(v - 10) < 1e-6 || Math.Abs(v - 50) < 1e-6, $"{v} is neither the level nor level + burst"));
        // Two bursts of five intervals a day: about 10 of 288 intervals bursting.
        double bursting = values.Count(v => v > 20) / (double)values.Count;
        Assert.InRange(bursting, 0.02, 0.05);
    }

    [Fact]
    public void EachOptionIsCheckedByName()
    {
        var e = Assert.Throws<ConfigurationException>(() => SyntheticTraces.Generate(new SyntheticTraceOptions { IdleFraction = 1.5 }));
        Assert.Equal("idle-fraction", e.Field);
        Assert.Equal("vms", Assert.Throws<ConfigurationException>(() => SyntheticTraces.Generate(new SyntheticTraceOptions { Vms = 0 })).Field);
        Assert.Equal("noise-correlation", Assert.Throws<ConfigurationException>(() => SyntheticTraces.Generate(new SyntheticTraceOptions { NoiseCorrelation = 1 })).Field);
        Assert.Equal("mean-cpu-percent", Assert.Throws<ConfigurationException>(() => SyntheticTraces.Generate(new SyntheticTraceOptions { MeanCpuPercent = 0 })).Field);
    }
}
