using VirtLab.Fleet;
using VirtLab.Hypervisor;

namespace VirtLab.Tests.Fleet;

/// <summary>
/// The zoom-in from a fleet host to the hypervisor: the credit scheduler must agree with the fleet
/// model where the model is exact (a saturated host shares in proportion) and show the queueing the
/// model leaves out (ready time below saturation).
/// </summary>
public class HostZoomTests
{
    /// <summary>Two cores of 1000 MIPS, so a VM asking for 250 MIPS is busy a quarter of the time.</summary>
    private static readonly HostType TwoCores = new("two cores", 2, 1000, 4096, 1000, PowerModel.HpProLiantMl110G4);

    private static readonly HostZoomOptions Short = new() { DurationMilliseconds = 200, WarmupMilliseconds = 40 };

    /// <summary>A snapshot of <paramref name="percent"/>.Length one-vCPU VMs of 1000 MIPS, with the grants the model's proportional share gives them.</summary>
    private static HostSnapshot Host(params double[] percent)
    {
        double asked = percent.Sum() * 10, scale = Math.Min(1, TwoCores.CapacityMips / asked);
        var vms = percent.Select((p, i) =>
        {
            var vm = new FleetVm($"vm{i}", new VmType("one core", 1000, 512), new Trace($"vm{i}", [p]));
            return new VmSnapshot(i, vm, p, p * 10, p * 10 * scale);
        }).ToArray();
        return new HostSnapshot(0, 0, TwoCores, vms, null);
    }

    [Fact]
    public void OnASaturatedHostTheSchedulerSharesInProportionAsTheModelSays()
    {
        // Three VMs that each want a whole core, on two cores: the model gives each two thirds.
        var zoom = HostZoom.Run(Host(100, 100, 100), Short);
        Assert.Equal(100.0 / 3, zoom.ModelUnmetPercent, 6);
        Assert.All(zoom.Vms, v =>
        {
            Assert.Equal(100, v.DutyPercent);
            Assert.Equal(200.0 / 3, v.ModelServedPercent, 6);
            Assert.InRange(v.ServedPercent, 55, 78);       // the credit scheduler, measured
            Assert.InRange(v.ReadyPercent, 22, 45);        // each waits about a third of the time
            Assert.InRange(v.Slowdown, 1.3, 1.8);
        });
        Assert.InRange(zoom.UnmetPercent, 25, 42);
        Assert.InRange(zoom.Utilization, 0.95, 1.0);
    }

    [Fact]
    public void BelowSaturationTheModelSeesNoLossButVcpusStillQueue()
    {
        // Four VMs at 40 % of a core on two cores: 80 % busy, nothing unmet in the model.
        var zoom = HostZoom.Run(Host(40, 40, 40, 40), Short);
        Assert.Equal(0, zoom.ModelUnmetPercent, 9);
        Assert.Equal(0.8, zoom.ModelUtilization, 9);
        Assert.All(zoom.Vms, v => Assert.Equal(100, v.ModelServedPercent, 9));
        Assert.All(zoom.Vms, v => Assert.InRange(v.DutyPercent, 35, 45));   // 40 % of each VM's own period (20 to 23 ticks), in whole ticks
        // Measured: bursts collide and vCPUs wait. A guest that waits ends its burst later and starts
        // its next period later, so it also completes fewer operations per second than alone.
        Assert.InRange(zoom.UnmetPercent, 0, 40);
        Assert.All(zoom.Vms, v => Assert.InRange(v.ServedPercent, 50, 105));
        Assert.True(zoom.MeanReadyPercent > 1, $"ready {zoom.MeanReadyPercent} %");
        Assert.InRange(zoom.Utilization, 0.6, 0.95);
    }

    [Fact]
    public void TheSameSnapshotGivesTheSameMeasurement()
    {
        var a = HostZoom.Run(Host(70, 30, 90), Short);
        var b = HostZoom.Run(Host(70, 30, 90), Short);
        Assert.Equal(a.Vms, b.Vms);
        Assert.Equal(a.Table.ToCsv(), b.Table.ToCsv());
    }

    [Fact]
    public void DutyCyclesFollowDemandOverACoreRoundedToTicks()
    {
        var host = Host(25, 0, 100, 33);
        Assert.Equal(Guest.Workload.Bursty(10, 30), HostZoom.DutyCycle(host.Vms[0], TwoCores, 40));
        Assert.Equal(Guest.Workload.Bursty(0, 40), HostZoom.DutyCycle(host.Vms[1], TwoCores, 40));
        Assert.Equal(Guest.Workload.Bursty(40, 0), HostZoom.DutyCycle(host.Vms[2], TwoCores, 40));
        Assert.Equal(Guest.Workload.Bursty(7, 13), HostZoom.DutyCycle(host.Vms[3], TwoCores, 20));
    }

    [Fact]
    public void BusiestPicksTheHostWhoseVmsAskForMostOfIt()
    {
        // First fit by allocation: two VMs of 1000 MIPS per host. Host 0 holds vm0 and vm1 (90 % and
        // 80 %: 1700 of 2000 MIPS), host 1 holds vm2 and vm3 (20 %, 10 %).
        FleetVm Vm(string name, double percent) => new(name, new VmType(name, 1000, 512), new Trace(name, [percent, percent]));
        var dc = new DataCenter { Hosts = [TwoCores, TwoCores], Vms = [Vm("vm0", 90), Vm("vm1", 80), Vm("vm2", 20), Vm("vm3", 10)] };
        var run = FleetSimulation.Run(dc, ConsolidationPolicy.Dvfs);
        var busiest = HostZoom.Busiest(run);
        Assert.Equal(0, busiest.Host);
        Assert.Equal(0, busiest.Interval);
        Assert.Equal(["vm0", "vm1"], busiest.Vms.Select(v => v.Info.Name));
        Assert.Equal(1, HostZoom.Busiest(run, interval: 1).Interval);
        Assert.Throws<ArgumentException>(() => HostZoom.Busiest(run, minVms: 3));
    }

    [Fact]
    public void BadOptionsAreRefusedByName()
    {
        var e = Assert.Throws<ConfigurationException>(() => HostZoom.Run(Host(50), new HostZoomOptions { WarmupMilliseconds = 500 }));
        Assert.Equal("warmup-ms", e.Field);
        Assert.Equal("period-ticks", Assert.Throws<ConfigurationException>(() => HostZoom.Run(Host(50), new HostZoomOptions { PeriodTicks = 1 })).Field);
        Assert.Equal("host", Assert.Throws<ConfigurationException>(() => HostZoom.Run(Host())).Field);
    }
}
