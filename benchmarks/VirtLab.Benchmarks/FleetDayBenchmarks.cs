using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using VirtLab.Fleet;

namespace VirtLab.Benchmarks;

/// <summary>
/// The fleet simulator on the whole PlanetLab day of issue 13: 1052 VMs, 800 hosts, 288 intervals
/// of dynamic consolidation under LR-MMT-1.2, with RAM checked always (VirtLab's default) and, as
/// CloudSim does, at the initial placement only (which lets consolidation move far more VMs). The
/// traces are read once, outside the measurement. Each invocation is the same deterministic run.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class FleetDayBenchmarks
{
    private DataCenter _dataCenter = null!;

    /// <summary>When RAM is checked.</summary>
    [Params(MemoryCheck.Always, MemoryCheck.InitialPlacementOnly)]
    public MemoryCheck Memory { get; set; }

    [GlobalSetup]
    public void Setup() => _dataCenter = PlanetLabScenario.Create(FleetBenchmark.PlanetLabDay(), memory: Memory);

    /// <summary>One simulated day; returns the migrations so the run cannot be optimized away.</summary>
    [Benchmark(Description = "PlanetLab day, lr-mmt-1.2")]
    public int Day() => FleetSimulation.Run(_dataCenter, ConsolidationPolicy.Lr(1.2)).Metrics.Migrations;
}
