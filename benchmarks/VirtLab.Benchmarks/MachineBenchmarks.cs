using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using System.Globalization;

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
        public Config() => AddColumn(new MipsColumn());
    }

    /// <summary>Guest instructions per second of the mean time, in millions.</summary>
    public sealed class MipsColumn : IColumn
    {
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

        public string Id => "GuestMips";
        public string ColumnName => "Guest MIPS";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Guest instructions retired per second of host time (mean), in millions";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            Mips(summary, benchmarkCase) is double mips ? mips.ToString("F1", CultureInfo.InvariantCulture) : "n/a";

        public static double? Mips(Summary summary, BenchmarkCase benchmarkCase)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            if (stats is null || stats.Mean <= 0) return null;
            return InstructionsOf(benchmarkCase.Descriptor.WorkloadMethodDisplayInfo) / (stats.Mean / 1e9) / 1e6;
        }
    }
}
