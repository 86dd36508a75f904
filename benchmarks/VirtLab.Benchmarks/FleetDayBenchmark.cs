using BenchmarkDotNet.Attributes;
using VirtLab.Fleet;

namespace VirtLab.Benchmarks;

/// <summary>
/// What the fleet benchmarks share: one simulated day of LR-MMT-1.2 on a data centre that a
/// subclass builds once per case (outside the measurement), with RAM checked always (VirtLab's
/// default) or, as CloudSim does, at the initial placement only. Each invocation is the same
/// deterministic run.
/// </summary>
public abstract class FleetDayBenchmark
{
    /// <summary>The data centre of the case.</summary>
    protected DataCenter DataCenter { get; set; } = null!;

    /// <summary>When RAM is checked.</summary>
    [Params(MemoryCheck.Always, MemoryCheck.InitialPlacementOnly)]
    public MemoryCheck Memory { get; set; }

    /// <summary>One simulated day; returns the migrations so the run cannot be optimized away.</summary>
    [Benchmark(Description = "day of lr-mmt-1.2")]
    public int Day() => FleetSimulation.Run(DataCenter, ConsolidationPolicy.Lr(1.2)).Metrics.Migrations;
}
