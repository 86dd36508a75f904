using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using VirtLab.Fleet;

namespace VirtLab.Benchmarks;

/// <summary>
/// The fleet simulator on the whole PlanetLab day of issue 13: 1052 VMs, 800 hosts, 288 intervals
/// of dynamic consolidation. The traces are read once, outside the measurement.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class FleetDayBenchmarks : FleetDayBenchmark
{
    /// <summary>Reads the traces and builds the data centre, once per case.</summary>
    [GlobalSetup]
    public void Setup() => DataCenter = PlanetLabScenario.Create(FleetBenchmark.PlanetLabDay(), memory: Memory);
}
