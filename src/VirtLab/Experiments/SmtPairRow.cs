namespace VirtLab.Experiments;

/// <summary>One pair of workloads sharing a core in <see cref="Smt"/>, with SMT on or off. Throughputs are relative to each workload alone on the core.</summary>
/// <param name="Pair">The two workloads.</param>
/// <param name="SmtOn">True: one on each hardware thread of the core; false: time-sliced on one thread.</param>
/// <param name="Thread0Relative">The first workload's throughput relative to it alone.</param>
/// <param name="Thread1Relative">The second workload's throughput relative to it alone.</param>
/// <param name="CoreRelative">The sum: the core's throughput in units of one thread alone (above 1 is SMT's gain).</param>
public sealed record SmtPairRow(
    [property: Column("pair")] WorkloadPair Pair,
    [property: Column("smt", WhenTrue = "on", WhenFalse = "off")] bool SmtOn,
    [property: Column("thread0_relative")] double Thread0Relative,
    [property: Column("thread1_relative")] double Thread1Relative,
    [property: Column("core_relative")] double CoreRelative);
