using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using VirtLab.Fleet;

namespace VirtLab.Benchmarks;

/// <summary>
/// How the fleet simulator's cost grows with the fleet: a day on 1k, 2k, 5k and 10k synthetic VMs
/// in the PlanetLab data centre's proportions (800 hosts per 1052 VMs), traces of seed 1.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class FleetScalingBenchmarks : FleetDayBenchmark
{
    /// <summary>VMs in the fleet.</summary>
    [Params(1000, 2000, 5000, 10000)]
    public int Vms { get; set; }

    /// <summary>Generates the traces and builds the data centre, once per case.</summary>
    [GlobalSetup]
    public void Setup() => DataCenter = PlanetLabScenario.CreateSynthetic(Vms, seed: 1, memory: Memory);
}
