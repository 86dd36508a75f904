using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace VirtLab.Benchmarks;

/// <summary>
/// BenchmarkDotNet benchmarks: each invocation runs one guest program to its end on a fresh
/// machine (about a second or two), so one invocation per iteration and few iterations.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[Config(typeof(Config))]
public class MachineBenchmarks
{
    private GuestProgram _loop = null!, _loopTimer = null!, _mixed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _loop = GuestProgram.Load("loop");
        _loopTimer = GuestProgram.Load("loop-timer");
        _mixed = GuestProgram.Load("mixed");
    }

    [Benchmark(Description = "loop")]
    public ulong Loop() => _loop.Run().Instructions;

    [Benchmark(Description = "loop-timer")]
    public ulong LoopTimer() => _loopTimer.Run().Instructions;

    [Benchmark(Description = "mixed")]
    public ulong Mixed() => _mixed.Run().Instructions;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new GuestMipsColumn("Guest instructions retired per second of host time (mean), in millions", InstructionsOf));
    }

    private static readonly Dictionary<string, ulong> Counts = new();

    /// <summary>Guest instructions of the program a benchmark runs (counted by running it once).</summary>
    public static ulong InstructionsOf(string program)
    {
        lock (Counts)
        {
            if (!Counts.TryGetValue(program, out ulong count))
                Counts[program] = count = GuestProgram.Load(program).Run().Instructions;
            return count;
        }
    }

    private static ulong InstructionsOf(BenchmarkCase c) => InstructionsOf(c.Descriptor.WorkloadMethodDisplayInfo);

    /// <summary>Guest MIPS of a benchmark case: its program's instruction count over its mean time.</summary>
    public static double? Mips(Summary summary, BenchmarkCase c) => GuestMipsColumn.Mips(summary, c, InstructionsOf);
}
