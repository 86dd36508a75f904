using VirtLab.Fleet;

namespace VirtLab.Tests.Fleet;

/// <summary>
/// The named PlanetLab scenario on the real day (read from ../shared/data, never copied), and the
/// books of a long run balancing on synthetic traces.
/// </summary>
public class PlanetLabScenarioTests
{
    /// <summary>
    /// The least energy that can serve what the VMs got: a G5 at full load does the most work per
    /// watt of either host type (135 W for 5320 MIPS), and a host below full load does less
    /// (its idle power is spread over less work). No run may beat this.
    /// </summary>
    private static double LowerBoundKwh(FleetRun run) =>
        run.Intervals.Sum(r => (r.DemandMips - r.UnmetMips) * run.DataCenter.IntervalSeconds)
        * PowerModel.HpProLiantMl110G5.PeakWatts / PlanetLabScenario.G5.CapacityMips / 3.6e6;

    [SkippableFact]
    public void TheScenarioIsThePublishedDataCentre()
    {
        var dc = PlanetLabScenario.Create(PlanetLabData.Require());
        Assert.Equal(800, dc.Hosts.Count);
        Assert.Equal(400, dc.Hosts.Count(h => h == PlanetLabScenario.G4));
        Assert.Equal(PlanetLabScenario.G4, dc.Hosts[0]);
        Assert.Equal(PlanetLabScenario.G5, dc.Hosts[1]);
        Assert.Equal(1052, dc.Vms.Count);
        // Four blocks of 263 in the traces' (sorted) order: 2500, 2000, 1000, 500 MIPS.
        Assert.Equal([2500.0, 2000, 1000, 500], dc.Vms.Chunk(263).Select(block => block.Select(v => v.Type.Mips).Distinct().Single()));
        Assert.Equal(288, dc.IntervalCount);
        Assert.Equal(13.92, dc.MigrationSeconds(PlanetLabScenario.VmTypes[0], PlanetLabScenario.G4, PlanetLabScenario.G5), 9);
    }

    [SkippableFact]
    public void TheBaselinesOnTheRealDay()
    {
        var dc = PlanetLabScenario.Create(PlanetLabData.Require());
        // NPA follows from the constants: (400 x 117 W + 400 x 135 W) x 24 h = 2419.2 kWh.
        var npa = FleetSimulation.Run(dc, ConsolidationPolicy.Npa);
        Assert.Equal(2419.2, npa.Metrics.EnergyKwh, 6);
        var dvfs = FleetSimulation.Run(dc, ConsolidationPolicy.Dvfs);
        Assert.Equal(0, dvfs.Metrics.Migrations);
        Assert.Equal(0, dvfs.Metrics.SlatahPercent);     // placed by allocation, no host is ever asked for more than it has
        Assert.Equal(0, dvfs.Metrics.UnmetPercent);
        Assert.InRange(dvfs.Metrics.EnergyKwh, LowerBoundKwh(dvfs), npa.Metrics.EnergyKwh / 2);
        // Every VM is on a host all day, and the hosts hold them all.
        Assert.All(dvfs.Intervals, r => Assert.Equal(dvfs.Intervals[0].HostsWithVms, r.HostsWithVms));
    }

    [SkippableFact]
    public void DynamicConsolidationAsCloudSimCountsMemory()
    {
        var dc = PlanetLabScenario.Create(PlanetLabData.Require(), memory: MemoryCheck.InitialPlacementOnly);
        var dvfs = FleetSimulation.Run(dc, ConsolidationPolicy.Dvfs);
        foreach (var policy in new[] { ConsolidationPolicy.Thr(0.8), ConsolidationPolicy.Lr(1.2) })
        {
            var run = FleetSimulation.Run(dc, policy);
            var m = run.Metrics;
            // A small fraction of DVFS's energy, as published, and never below what the work needs.
            Assert.InRange(m.EnergyKwh, LowerBoundKwh(run), dvfs.Metrics.EnergyKwh / 4);
            Assert.InRange(m.MeanHostsOn, 36, 100);
            Assert.True(m.Migrations > 5000, $"{policy.Name}: {m.Migrations} migrations");
            Assert.InRange(m.SlatahPercent, 0.01, 10);
            Assert.InRange(m.PdmPercent, 0.001, 1);
            Assert.InRange(m.MeanUtilizationOfHostsOn, 0.6, 0.95);
            Assert.Equal(m.Migrations, run.Vms.Sum(v => v.Migrations));
            Assert.Equal(m.Migrations, run.Intervals.Sum(r => r.Migrations));
        }
    }

    [SkippableFact]
    public void WithMemoryCheckedMemoryBoundsTheSavings()
    {
        var dc = PlanetLabScenario.Create(PlanetLabData.Require());
        var dvfs = FleetSimulation.Run(dc, ConsolidationPolicy.Dvfs);
        var lr = FleetSimulation.Run(dc, ConsolidationPolicy.Lr(1.2));
        Assert.InRange(lr.Metrics.EnergyKwh, dvfs.Metrics.EnergyKwh / 2, dvfs.Metrics.EnergyKwh * 0.95);
        // About 1.3 TB of VM RAM on 4 GB hosts: never fewer than 319 hosts on.
        double ram = dc.Vms.Sum(v => v.Type.RamMib);
        Assert.All(lr.Intervals, r => Assert.True(r.HostsWithVms >= Math.Ceiling(ram / PlanetLabScenario.HostRamMib)));
        foreach (int k in new[] { 0, 1, 100, 287 })
        {
            var placement = lr.PlacementAt(k);
            var used = new double[dc.Hosts.Count];
            for (int v = 0; v < placement.Length; v++) used[placement[v]] += dc.Vms[v].Type.RamMib;
            Assert.All(used, u => Assert.True(u <= PlanetLabScenario.HostRamMib));
        }
    }

    [Fact]
    public void TheBooksBalanceOnALongRunWithManyMigrations()
    {
        var dc = PlanetLabScenario.CreateSynthetic(200, seed: 3, memory: MemoryCheck.InitialPlacementOnly);
        var run = FleetSimulation.Run(dc, ConsolidationPolicy.Lrr(1.2));
        Assert.True(run.Metrics.Migrations > 200, $"{run.Metrics.Migrations} migrations");

        // Every VM is accounted for exactly once at every moment, migrating or not.
        double asked = Enumerable.Range(0, dc.IntervalCount).Sum(k => dc.Vms.Sum(v => v.DemandMips(k))) * dc.IntervalSeconds;
        Assert.Equal(asked, run.Vms.Sum(v => v.RequestedMipsSeconds), asked * 1e-12);
        Assert.Equal(run.Metrics.EnergyKwh, run.HostIntervals.Sum(h => h.EnergyJoules) / 3.6e6, 9);
        Assert.True(run.Metrics.EnergyKwh >= LowerBoundKwh(run));

        // The zoom-in agrees with the record for a host whose VMs did not move in that interval.
        var moved = run.Migrations.Select(m => (m.Interval, m.From)).Concat(run.Migrations.Select(m => (m.Interval, m.To))).ToHashSet();
        var quiet = run.HostIntervals.Where(h => !moved.Contains((h.Interval, h.Host))).MaxBy(h => h.DemandMips)!;
        var snapshot = run.HostAt(quiet.Host, quiet.Interval);
        Assert.Equal(quiet.Vms, snapshot.Vms.Count);
        Assert.Equal(quiet.DemandMips, snapshot.Vms.Sum(v => v.DemandMips), 6);
        Assert.Equal(quiet.Utilization, Math.Min(1, snapshot.Vms.Sum(v => v.GrantedMips) / snapshot.Type.CapacityMips), 9);
        Assert.Equal(quiet.UnmetMips, snapshot.Vms.Sum(v => v.UnmetMips), 6);
        Assert.All(snapshot.Vms, v => Assert.Equal(v.Info.Trace.CpuPercent[quiet.Interval], v.DemandPercent));
        for (int k = 0; k < dc.IntervalCount; k += 37)
            Assert.Equal(run.Intervals[k].HostsWithVms, run.PlacementAt(k).Distinct().Count());
    }

    [Fact]
    public void TheSameFleetAndPolicyGiveTheSameRun()
    {
        var dc = PlanetLabScenario.CreateSynthetic(150, seed: 5, memory: MemoryCheck.InitialPlacementOnly);
        var one = FleetSimulation.Run(dc, ConsolidationPolicy.Mad(2.5));
        var two = FleetSimulation.Run(PlanetLabScenario.CreateSynthetic(150, seed: 5, memory: MemoryCheck.InitialPlacementOnly), ConsolidationPolicy.Mad(2.5));
        Assert.Equal(one.Metrics, two.Metrics);
        Assert.Equal(one.Migrations, two.Migrations);
        var other = FleetSimulation.Run(PlanetLabScenario.CreateSynthetic(150, seed: 6, memory: MemoryCheck.InitialPlacementOnly), ConsolidationPolicy.Mad(2.5));
        Assert.NotEqual(one.Metrics.EnergyKwh, other.Metrics.EnergyKwh);
    }

    [Fact]
    public void ALooserThresholdSavesEnergyAndCostsSla()
    {
        var dc = PlanetLabScenario.CreateSynthetic(300, seed: 1, memory: MemoryCheck.InitialPlacementOnly);
        var tight = FleetSimulation.Run(dc, ConsolidationPolicy.Thr(0.6)).Metrics;
        var loose = FleetSimulation.Run(dc, ConsolidationPolicy.Thr(1.0)).Metrics;
        Assert.True(loose.EnergyKwh < tight.EnergyKwh, $"{loose.EnergyKwh} < {tight.EnergyKwh}");
        Assert.True(loose.SlatahPercent > tight.SlatahPercent, $"{loose.SlatahPercent} > {tight.SlatahPercent}");
    }
}
