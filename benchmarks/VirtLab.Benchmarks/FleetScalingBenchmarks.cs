using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using VirtLab.Fleet;

namespace VirtLab.Benchmarks;

/// <summary>
/// How the fleet simulator's cost grows with the fleet: a day (288 intervals) of LR-MMT-1.2 on
/// 1k, 2k, 5k and 10k synthetic VMs in the PlanetLab data centre's proportions (800 hosts per 1052
/// VMs), with RAM checked always and at the initial placement only. The traces are generated once
/// per case, outside the measurement (seed 1).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class FleetScalingBenchmarks
{
    private DataCenter _dataCenter = null!;

    /// <summary>VMs in the fleet.</summary>
    [Params(1000, 2000, 5000, 10000)]
    public int Vms { get; set; }

    /// <summary>When RAM is checked.</summary>
    [Params(MemoryCheck.Always, MemoryCheck.InitialPlacementOnly)]
    public MemoryCheck Memory { get; set; }

    [GlobalSetup]
    public void Setup() => _dataCenter = PlanetLabScenario.CreateSynthetic(Vms, seed: 1, memory: Memory);

    /// <summary>One simulated day; returns the migrations so the run cannot be optimized away.</summary>
    [Benchmark(Description = "synthetic day, lr-mmt-1.2")]
    public int Day() => FleetSimulation.Run(_dataCenter, ConsolidationPolicy.Lr(1.2)).Metrics.Migrations;
}
