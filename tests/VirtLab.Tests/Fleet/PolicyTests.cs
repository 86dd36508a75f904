using VirtLab.Fleet;
using VirtLab.Hypervisor;

namespace VirtLab.Tests.Fleet;

/// <summary>The replaceable policies, each on a host or a list small enough to check by hand.</summary>
public class PolicyTests
{
    /// <summary>One core of 1000 MIPS; power 100 W idle to 200 W at full load, a straight line.</summary>
    internal static readonly HostType Simple = new("simple", 1, 1000, 4096, 1000, new PowerModel("line", 100, 200));

    internal static HostLoad Host(double mips, double[]? history = null, int vms = 1, int index = 0, HostType? type = null, double longestMigration = 14) =>
        new(index, type ?? Simple, mips, 0, vms, new ArraySegment<double>(history ?? []), longestMigration, 20, 300,
            vms > 0 ? (type ?? Simple).Power.Watts(mips / (type ?? Simple).CapacityMips) : 0);

    private static VmLoad Vm(int index, double mips, double ram = 512, double migrationSeconds = 10) =>
        new(index, new FleetVm($"vm{index}", new VmType("t", 1000, ram), new Trace($"vm{index}", [0])), mips, 0, migrationSeconds);

    [Fact]
    public void StaticThresholdIsStrict()
    {
        var thr = new StaticThreshold(0.8);
        Assert.False(thr.IsOverloaded(Host(800)));
        Assert.True(thr.IsOverloaded(Host(801)));
        Assert.Equal("thr-0.8", thr.Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaticThreshold(1.5));
    }

    private static double[] Line(double a, double b) => Enumerable.Range(1, 10).Select(i => a + b * i).ToArray();

    [Fact]
    public void LocalRegressionExtendsALineOneIntervalAhead()
    {
        var lr = new LocalRegression(1.2);
        // 0.10, 0.15, ..., 0.55: the line predicts 0.60 at the next interval; 1.2 x 0.60 = 0.72 < 1.
        Assert.Equal(0.60, lr.Predict(Host(550, Line(0.05, 0.05)))!.Value, 9);
        Assert.False(lr.IsOverloaded(Host(550, Line(0.05, 0.05))));
        // 0.08, ..., 0.80: predicts 0.88; 1.2 x 0.88 = 1.056 >= 1.
        Assert.Equal(0.88, lr.Predict(Host(800, Line(0, 0.08)))!.Value, 9);
        Assert.True(lr.IsOverloaded(Host(800, Line(0, 0.08))));
        // A migration of 400 s takes two 300 s intervals: the line is read two intervals ahead.
        Assert.Equal(0.65, lr.Predict(Host(550, Line(0.05, 0.05), longestMigration: 400))!.Value, 9);
    }

    [Fact]
    public void LocalRegressionWeighsTheNewestSamplesMost()
    {
        // Flat at 0.2, then a climb over the last three samples.
        double[] history = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.4, 0.5];
        double weighted = new LocalRegression(1).Predict(Host(500, history))!.Value;
        // Ordinary least squares over the same points, which treats every sample alike.
        double meanX = 5.5, meanY = history.Average();
        double slope = Enumerable.Range(0, 10).Sum(i => (i + 1 - meanX) * (history[i] - meanY)) / Enumerable.Range(0, 10).Sum(i => (i + 1 - meanX) * (i + 1 - meanX));
        double plain = meanY + slope * (11 - meanX);
        Assert.True(weighted > plain + 0.05, $"the weighted fit ({weighted:F3}) follows the recent climb more than a plain fit ({plain:F3})");
    }

    [Fact]
    public void TheRobustVariantIgnoresASpike()
    {
        var history = Line(0.3, 0.02);
        history[4] = 0.95;    // one spike in an otherwise straight line
        double robust = new LocalRegression(1.2, robust: true).Predict(Host(500, history))!.Value;
        double plain = new LocalRegression(1.2).Predict(Host(500, history))!.Value;
        Assert.Equal(0.52, robust, 9);                      // the line without the spike: 0.3 + 0.02 x 11
        Assert.True(Math.Abs(plain - 0.52) > 0.01, $"the plain fit ({plain:F3}) is pulled by the spike");
        Assert.Equal("lrr-1.2", new LocalRegression(1.2, robust: true).Name);
    }

    [Fact]
    public void TheAdaptiveDetectorsFallBackToThresholdPointSevenWithoutHistory()
    {
        double[] nine = Enumerable.Repeat(0.5, 9).ToArray();
        double[] eleven = Enumerable.Repeat(0.5, 11).ToArray();
        foreach (var (detector, history) in new (IOverloadDetector, double[])[] { (new LocalRegression(1.2), nine), (new MedianAbsoluteDeviation(2.5), eleven), (new InterquartileRange(1.5), eleven) })
        {
            Assert.True(detector.IsOverloaded(Host(710, history)), detector.Name);
            Assert.False(detector.IsOverloaded(Host(690, history)), detector.Name);
        }
    }

    [Fact]
    public void MadAndIqrLowerTheThresholdByTheSpreadOfTheHistory()
    {
        double[] history = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? 0.2 : 0.4).ToArray();
        // Median 0.3, every deviation 0.1: MAD = 0.1, threshold 1 - 2.5 x 0.1 = 0.75.
        var mad = new MedianAbsoluteDeviation(2.5);
        Assert.Equal(0.75, mad.Threshold(Host(0, history))!.Value, 9);
        Assert.True(mad.IsOverloaded(Host(760, history)));
        Assert.False(mad.IsOverloaded(Host(740, history)));
        // Quartiles 0.2 and 0.4: IQR = 0.2, threshold 1 - 1.5 x 0.2 = 0.7.
        var iqr = new InterquartileRange(1.5);
        Assert.Equal(0.7, iqr.Threshold(Host(0, history))!.Value, 9);
        Assert.True(iqr.IsOverloaded(Host(710, history)));
        // A steady host keeps the whole capacity.
        Assert.Equal(1, mad.Threshold(Host(0, Enumerable.Repeat(0.5, 30).ToArray()))!.Value, 9);
    }

    [Fact]
    public void PlacementPoliciesPickByTheirCriterion()
    {
        var vm = Vm(0, 100);
        HostLoad[] hosts = [Host(500, index: 3), Host(0, vms: 0, index: 4), Host(200, index: 7)];
        Assert.Equal(0, new FirstFit().ChooseHost(vm, hosts));
        Assert.Equal(1, new WorstFit().ChooseHost(vm, hosts));          // the empty host has the most free
        Assert.Equal(1, new OneVmPerHost().ChooseHost(vm, hosts));
        Assert.Equal(-1, new OneVmPerHost().ChooseHost(vm, [Host(500)]));
        // Power grows 10 W on either host that is on (a straight line), 110 W on the one that is
        // off (its idle 100 W plus 10 W); ties go to the first.
        Assert.Equal(10, hosts[0].PowerIncreaseWatts(100), 9);
        Assert.Equal(110, hosts[1].PowerIncreaseWatts(100), 9);
        Assert.Equal(0, new PowerAwareBestFitDecreasing().ChooseHost(vm, hosts));
        Assert.Equal(-1, new FirstFit().ChooseHost(vm, []));
    }

    [Fact]
    public void BestFitUsesTheFlattestPartOfThePowerCurve()
    {
        // G5: 129 W at 80 %, 133 W at 90 %, 135 W at 100 %: adding 10 % to a host at 90 % costs 2 W,
        // to one at 50 % (116 to 121 W) 5 W.
        var g5 = PlanetLabScenario.G5;
        HostLoad[] hosts = [Host(0.5 * g5.CapacityMips, type: g5), Host(0.9 * g5.CapacityMips, type: g5, index: 1)];
        Assert.Equal(1, new PowerAwareBestFitDecreasing().ChooseHost(Vm(0, 0.1 * g5.CapacityMips), hosts));
    }

    [Fact]
    public void BestFitDecreasingPlacesTheBiggestFirst()
    {
        var vms = new List<VmLoad> { Vm(0, 100), Vm(1, 300), Vm(2, 200), Vm(3, 300) };
        new PowerAwareBestFitDecreasing().Order(vms);
        Assert.Equal([1, 3, 2, 0], vms.Select(v => v.Vm));
        var kept = new List<VmLoad>(vms);
        ((IPlacementPolicy)new FirstFit()).Order(kept);
        Assert.Equal(vms.Select(v => v.Vm), kept.Select(v => v.Vm));
    }

    [Fact]
    public void MinimumMigrationTimePicksTheFastestToMove()
    {
        var vms = new[] { Vm(0, 100, migrationSeconds: 27.8), Vm(1, 900, migrationSeconds: 9.8), Vm(2, 50, migrationSeconds: 13.9) };
        Assert.Equal(1, new MinimumMigrationTime().ChooseVm(Host(1050), vms));
        Assert.Equal(-1, new MinimumMigrationTime().ChooseVm(Host(0), []));
    }

    [Fact]
    public void LeastUtilizedFirstOrdersByUtilizationThenIndex()
    {
        var hosts = new List<HostLoad> { Host(300, index: 0), Host(100, index: 1), Host(300, index: 2), Host(50, index: 3) };
        new LeastUtilizedFirst().SelectHosts(hosts);
        Assert.Equal([3, 1, 0, 2], hosts.Select(h => h.Host));
    }

    [Theory]
    [InlineData("npa", "npa", false)]
    [InlineData("DVFS", "dvfs", false)]
    [InlineData("one-vm-per-host", "one-vm-per-host", false)]
    [InlineData("thr-mmt-0.8", "thr-mmt-0.8", true)]
    [InlineData("iqr-mmt-1.5", "iqr-mmt-1.5", true)]
    [InlineData("mad-mmt-2.5", "mad-mmt-2.5", true)]
    [InlineData("lr-mmt-1.2", "lr-mmt-1.2", true)]
    [InlineData(" LRR-MMT-1.2 ", "lrr-mmt-1.2", true)]
    public void PoliciesAreNamedAsOnTheCommandLine(string text, string name, bool dynamic)
    {
        var policy = ConsolidationPolicy.Parse(text);
        Assert.Equal(name, policy.Name);
        Assert.Equal(dynamic, policy.IsDynamic);
        policy.Validate();
    }

    [Theory]
    [InlineData("thr-0.8", "'thr-0.8' is not a policy; expected npa, dvfs")]
    [InlineData("abc-mmt-1", "'abc' in 'abc-mmt-1' is not an overload detector; expected thr, iqr, mad, lr or lrr")]
    [InlineData("thr-mmt-1.5", "'thr-mmt-1.5': 1.5 is not a utilization threshold in (0, 1]")]
    [InlineData("lr-mmt-0", "'lr-mmt-0': 0 is not a safety parameter (above 0)")]
    public void ABadPolicyNameSaysWhatIsAccepted(string text, string problem)
    {
        var e = Assert.Throws<ConfigurationException>(() => ConsolidationPolicy.Parse(text));
        Assert.Equal("policy", e.Field);
        Assert.StartsWith(problem, e.Message["policy: ".Length..]);
    }

    [Fact]
    public void ThePublishedSetIsInThePapersOrder()
    {
        Assert.Equal(["npa", "dvfs", "thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2", "lrr-mmt-1.2"], ConsolidationPolicy.Published.Select(p => p.Name));
        var broken = ConsolidationPolicy.Thr(0.8) with { VmSelection = null };
        Assert.Equal("policy thr-mmt-0.8: vm selection", Assert.Throws<ConfigurationException>(broken.Validate).Field);
    }

    [Fact]
    public void PowerModelsInterpolateBetweenTheirPoints()
    {
        var g4 = PowerModel.HpProLiantMl110G4;
        Assert.Equal(86, g4.Watts(0));
        Assert.Equal(117, g4.Watts(1));
        Assert.Equal(94.3, g4.Watts(0.25), 9);    // halfway between 92.6 (20 %) and 96 (30 %)
        Assert.Equal(117, g4.Watts(1.7));         // a host cannot run above 100 %
        Assert.Equal(135, PowerModel.HpProLiantMl110G5.PeakWatts);
        Assert.Throws<ArgumentException>(() => new PowerModel("falls", 100, 90));
    }
}
