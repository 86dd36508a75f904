using VirtLab.Fleet;
using VirtLab.Hypervisor;

namespace VirtLab.Tests.Fleet;

/// <summary>
/// The simulator on fleets small enough to follow by hand: every energy, SLATAH, PDM and migration
/// figure below is worked out in the comments from the model's rules. The hosts are
/// <see cref="PolicyTests.Simple"/>: one core of 1000 MIPS, 100 W idle to 200 W at full load in a
/// straight line, 1 Gbit/s, so that a VM of R MiB migrates in R x 8 / 500 seconds.
/// </summary>
public class FleetSimulationTests
{
    private static readonly HostType Simple = PolicyTests.Simple;
    private const double Kwh = 3.6e6;

    private static FleetVm Vm(string name, double mips, double ramMib, params double[] trace) =>
        new(name, new VmType(name, mips, ramMib), new Trace(name, trace));

    private static DataCenter Center(int hosts, params FleetVm[] vms) =>
        new() { Name = "hand", Hosts = Enumerable.Repeat(Simple, hosts).ToArray(), Vms = vms, IntervalSeconds = 300 };

    [Fact]
    public void EnergyFollowsTheLoadAndAnIdleVmKeepsItsHostOn()
    {
        // 250, 500 and 0 MIPS of 1000: 125 W, 150 W, then 100 W (on, idle) for 300 s each.
        var run = FleetSimulation.Run(Center(1, Vm("a", 500, 512, 50, 100, 0)), ConsolidationPolicy.Dvfs);
        Assert.Equal((125 + 150 + 100) * 300 / Kwh, run.Metrics.EnergyKwh, 12);
        Assert.Equal(150 * 300 / Kwh, run.Intervals[1].EnergyKwh, 12);
        Assert.All(run.Intervals, r => Assert.Equal(1, r.HostsOn));
        Assert.Equal(0.25, run.HostIntervals[0].Utilization, 12);
        Assert.Equal(0, run.Metrics.Migrations);
    }

    [Fact]
    public void AnOverloadedHostSendsItsSmallestVmAway()
    {
        // v0: 500 MIPS, 1250 MiB at 70 % (350 MIPS); v1: 500 MIPS, 625 MiB at 40 %, then 100 %.
        // Best fit puts both on host 0 (a second VM adds 50 W there, 150 W on the empty host 1).
        var dc = Center(2, Vm("v0", 500, 1250, 70, 70, 70), Vm("v1", 500, 625, 40, 100, 100));
        var run = FleetSimulation.Run(dc, ConsolidationPolicy.Thr(0.8));

        // Interval 0: 550 MIPS, 155 W: 46,500 J.
        // Interval 1: 850 MIPS > 80 %: v1 (625 MiB, 10 s) goes to host 1, which is on from the start
        //   to receive it. Host 0: 10 s at 850 (185 W) + 290 s at 350 (135 W) = 41,000 J.
        //   Host 1: 10 s idle (100 W) + 290 s at 500 (150 W) = 44,500 J.
        // Interval 2: each host would pass 80 % with the other's VM, so nothing moves:
        //   135 W + 150 W for 300 s = 85,500 J.
        Assert.Equal(46_500 / Kwh, run.Intervals[0].EnergyKwh, 12);
        Assert.Equal(85_500 / Kwh, run.Intervals[1].EnergyKwh, 12);
        Assert.Equal(85_500 / Kwh, run.Intervals[2].EnergyKwh, 12);
        Assert.Equal(217_500 / Kwh, run.Metrics.EnergyKwh, 12);
        var migration = Assert.Single(run.Migrations);
        Assert.Equal(new Migration(1, 1, 0, 1, 10, MigrationReason.Overload), migration);
        Assert.Equal([0, 1, 0], run.Intervals.Select(r => r.OverloadedHosts));

        // PDM: v1 lost 10 % of 500 MIPS for 10 s (500) of the 360,000 it asked for; v0 lost nothing.
        Assert.Equal(500, run.Vms[1].MigrationLossMipsSeconds, 9);
        Assert.Equal(360_000, run.Vms[1].RequestedMipsSeconds, 9);
        Assert.Equal(100 * (500.0 / 360_000) / 2, run.Metrics.PdmPercent, 12);
        Assert.Equal(100 * 500.0 / (360_000 + 315_000), run.Metrics.PdmPooledPercent, 12);
        Assert.Equal(0, run.Metrics.SlatahPercent);
        Assert.Equal(0, run.Metrics.Slav);
        Assert.Equal(5.0 / 3, run.Metrics.MeanHostsOn, 12);
        Assert.Equal(2, run.Metrics.MaxHostsOn);

        // What the model recorded for host 0 in interval 1, averaged over the interval.
        var host0 = run.Record(0, 1)!;
        Assert.Equal((0.85 * 10 + 0.35 * 290) / 300, host0.Utilization, 12);
        Assert.Equal((850.0 * 10 + 350 * 290) / 300, host0.DemandMips, 9);
        Assert.Equal(41_000, host0.EnergyJoules, 9);
        Assert.Equal([0, 0], run.PlacementAt(0));
        Assert.Equal([0, 1], run.PlacementAt(1));
    }

    [Fact]
    public void AnUnderloadedHostIsEmptiedAndASaturatedHostCounts()
    {
        // Three VMs of 500 MIPS, 500 MiB (8 s to migrate). Best fit: v0, v1 on host 0, v2 on host 1.
        // Threshold 1.0: a host is overloaded only when asked for more than it has.
        var dc = Center(2, Vm("v0", 500, 500, 10, 10, 100), Vm("v1", 500, 500, 10, 10, 100), Vm("v2", 500, 500, 10, 10, 100));
        var run = FleetSimulation.Run(dc, ConsolidationPolicy.Thr(1.0));

        // Interval 0: host 0 at 100 MIPS (110 W), host 1 at 50 (105 W): 33,000 + 31,500 J.
        // Interval 1: host 1 (5 %) is the least used; v2 fits on host 0, so host 1 is emptied and
        //   off after 8 s. Host 0: 8 s at 100 (110 W) + 292 s at 150 (115 W) = 34,460 J;
        //   host 1: 8 s at 50 (105 W) = 840 J.
        // Interval 2: all ask 500: host 0 has 1500 > 1000 and sends v0 (the first of equals) to
        //   host 1. For 8 s host 0 is saturated: each VM gets 1000 / 1500 of its 500 MIPS, 200 W,
        //   1600 J; then 1000 of 1000, 200 W for 292 s, 58,400 J. Host 1: 8 s idle (800 J), then
        //   500 MIPS, 150 W for 292 s (43,800 J).
        Assert.Equal(
            [new Migration(1, 2, 1, 0, 8, MigrationReason.Underload), new Migration(2, 0, 0, 1, 8, MigrationReason.Overload)],
            run.Migrations);
        Assert.Equal((33_000 + 31_500 + 34_460 + 840 + 60_000 + 44_600) / Kwh, run.Metrics.EnergyKwh, 12);
        Assert.Equal((300 + 8) / 300.0, run.Intervals[1].HostsOn, 12);
        Assert.Equal(1, run.Intervals[2].SaturatedHosts);

        // SLATAH: host 0 saturated 8 of its 900 s, host 1 never in its 608 s.
        Assert.Equal(100 * (8.0 / 900 + 0) / 2, run.Metrics.SlatahPercent, 12);
        Assert.Equal(100 * 8.0 / (900 + 608), run.Metrics.SlatahPooledPercent, 12);
        // Unmet: each VM missed 500 / 3 MIPS for 8 s, of 180,000 MIPS s asked each.
        Assert.Equal(500.0 / 3 * 8, run.Vms[1].UnmetMipsSeconds, 9);
        Assert.Equal(100 * 4000.0 / 540_000, run.Metrics.UnmetPercent, 12);
        // PDM: v0 lost 10 % of 333.3 MIPS for 8 s, v2 10 % of 50 MIPS for 8 s.
        Assert.Equal(100 * (800.0 / 3 / 180_000 + 40.0 / 180_000) / 3, run.Metrics.PdmPercent, 12);
        Assert.Equal(run.Metrics.SlatahPercent / 100 * run.Metrics.PdmPercent / 100, run.Metrics.Slav, 15);
        Assert.Equal(run.Metrics.EnergyKwh * run.Metrics.Slav, run.Metrics.Esv, 15);
    }

    [Fact]
    public void TheNonPowerAwareBaselineChargesEveryHostAtPeakAllTheTime()
    {
        var run = FleetSimulation.Run(Center(3, Vm("a", 500, 512, 10, 20)), ConsolidationPolicy.Npa);
        Assert.Equal(3 * 200 * 600 / Kwh, run.Metrics.EnergyKwh, 12);
        Assert.Equal(3, run.Metrics.MeanHostsOn);
    }

    [Fact]
    public void OneVmPerHostNeedsAHostForEachVm()
    {
        var vms = new[] { Vm("a", 100, 100, 10), Vm("b", 100, 100, 10), Vm("c", 100, 100, 10) };
        var run = FleetSimulation.Run(Center(3, vms), ConsolidationPolicy.OnePerHost);
        Assert.Equal([0, 1, 2], run.PlacementAt(0));
        Assert.Equal(3, run.Metrics.MeanHostsOn);
        var e = Assert.Throws<ConfigurationException>(() => FleetSimulation.Run(Center(2, vms), ConsolidationPolicy.OnePerHost));
        Assert.Equal("hosts", e.Field);
        Assert.Contains("found no host for vm c", e.Message);
        // Consolidated, the three share one host.
        Assert.Equal([0, 0, 0], FleetSimulation.Run(Center(3, vms), ConsolidationPolicy.Dvfs).PlacementAt(0));
    }

    [Fact]
    public void MemoryBoundsConsolidationUnlessOnlyTheInitialPlacementChecksIt()
    {
        // Two VMs of 600 MiB on hosts of 1000 MiB: one each at the start, and then they never fit together.
        var small = Simple with { RamMib = 1000 };
        var dc = new DataCenter { Hosts = [small, small], Vms = [Vm("a", 500, 600, 10, 10, 10), Vm("b", 500, 600, 10, 10, 10)] };
        var strict = FleetSimulation.Run(dc, ConsolidationPolicy.Thr(0.8));
        Assert.Equal(0, strict.Metrics.Migrations);
        Assert.Equal(2, strict.Intervals[2].HostsWithVms);
        var loose = FleetSimulation.Run(dc with { MemoryCheck = MemoryCheck.InitialPlacementOnly }, ConsolidationPolicy.Thr(0.8));
        Assert.Equal(1, loose.Metrics.Migrations);
        Assert.Equal(1, loose.Intervals[2].HostsWithVms);
    }

    [Fact]
    public void AVmBiggerThanACoreGetsOneCore()
    {
        // Two cores of 1000: a 2-vCPU VM asking 1800 and a 1-vCPU VM asking 1500 (capped at one
        // core, 1000). Together 2800 for 2000: each gets 2000 / 2800 of its capped request.
        var host = new HostType("two", 2, 1000, 4096, 1000, Simple.Power);
        double[] grant = new double[2];
        double total = CpuShare.Grant(host, [1800, 1500], [2, 1], grant);
        Assert.Equal(2000, total, 9);
        Assert.Equal(1800 * 2000 / 2800.0, grant[0], 9);
        Assert.Equal(1000 * 2000 / 2800.0, grant[1], 9);
    }

    [Fact]
    public void ProgressIsReportedAfterEachInterval()
    {
        var seen = new List<double>();
        FleetSimulation.Run(Center(1, Vm("a", 500, 512, 1, 2, 3, 4)), ConsolidationPolicy.Dvfs, new Recorder(seen));
        Assert.Equal([0.25, 0.5, 0.75, 1], seen);
    }

    private sealed class Recorder(List<double> seen) : IProgress<double>
    {
        public void Report(double value) => seen.Add(value);
    }

    [Fact]
    public void AnInvalidDataCentreIsNamed()
    {
        var vm = Vm("a", 500, 512, 1, 2);
        Assert.Equal("hosts", Assert.Throws<ConfigurationException>(() => FleetSimulation.Run(Center(0, vm), ConsolidationPolicy.Dvfs)).Field);
        var slow = Simple with { NetworkMbps = 10 };
        var e = Assert.Throws<ConfigurationException>(() => FleetSimulation.Run(new DataCenter { Hosts = [slow], Vms = [vm] }, ConsolidationPolicy.Dvfs));
        Assert.Equal("interval-seconds", e.Field);
        Assert.Contains("takes 819.2 s, longer than the 300 s interval", e.Message);
        var uneven = new DataCenter { Hosts = [Simple], Vms = [vm, Vm("b", 500, 512, 1)] };
        Assert.Contains("vm b's trace has 1 intervals, vm a's has 2", Assert.Throws<ConfigurationException>(() => FleetSimulation.Run(uneven, ConsolidationPolicy.Dvfs)).Message);
        Assert.Equal("intervals", Assert.Throws<ConfigurationException>(() => FleetSimulation.Run(Center(1, vm) with { Intervals = 3 }, ConsolidationPolicy.Dvfs)).Field);
    }

    [Fact]
    public void ARunCanStopEarly()
    {
        var run = FleetSimulation.Run(Center(1, Vm("a", 500, 512, 50, 50, 50)) with { Intervals = 2 }, ConsolidationPolicy.Dvfs);
        Assert.Equal(2, run.Intervals.Count);
        Assert.Equal(2 * 125 * 300 / Kwh, run.Metrics.EnergyKwh, 12);    // 250 of 1000 MIPS: 125 W
    }
}
