using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace VirtLab.Benchmarks;

/// <summary>
/// The hypervisor benchmark under BenchmarkDotNet: the bare machine's CPU-bound loop, then the 16
/// single-vCPU VMs on 4 cores x 2 threads for <see cref="SimulatedSeconds"/> simulated seconds, all
/// CPU-bound and mixed. Each invocation builds a fresh host, so every iteration measures the same
/// deterministic run (same seed, same guest instruction count). The "Guest MIPS" column divides
/// that count by the mean time; "Of bare" puts it next to the bare loop's MIPS from the same run.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[Config(typeof(Config))]
public class HypervisorBenchmarks
{
    /// <summary>Simulated seconds per invocation: the 10.</summary>
    public const double SimulatedSeconds = 10;
    /// <summary>Instructions of the bare loop per invocation (about a second of host time).</summary>
    public const long BareInstructions = 2_000_000_000;

    [Benchmark(Description = "bare loop")]
    public ulong Bare() => HypervisorBenchmark.BareLoop().Run(BareInstructions).Instructions;

    [Benchmark(Description = "16 cpu-bound VMs")]
    public ulong CpuBound() => Run(HypervisorBenchmark.CpuOnly);

    [Benchmark(Description = "16 mixed VMs")]
    public ulong Mixed() => Run(HypervisorBenchmark.Mix);

    private static ulong Run(string[] workloads)
    {
        var host = HypervisorBenchmark.BuildHost(workloads);
        host.RunFor(SimulatedSeconds * 1000);
        return (ulong)host.Vms.Sum(v => (long)v.Instructions);
    }

    /// <summary>
    /// Guest instructions of one invocation of the benchmark method <paramref name="method"/>, counted
    /// by running it once here: every run of it retires the same number.
    /// </summary>
    public static ulong InstructionsOf(string method)
    {
        lock (Counts)
        {
            if (!Counts.TryGetValue(method, out ulong count))
            {
                var b = new HypervisorBenchmarks();
                Counts[method] = count = method switch
                {
                    nameof(Bare) => b.Bare(),
                    nameof(CpuBound) => b.CpuBound(),
                    nameof(Mixed) => b.Mixed(),
                    _ => throw new ArgumentException($"no benchmark method {method}", nameof(method)),
                };
            }
            return count;
        }
    }

    private static readonly Dictionary<string, ulong> Counts = new();

    private static ulong InstructionsOf(BenchmarkCase c) => InstructionsOf(c.Descriptor.WorkloadMethod.Name);

    /// <summary>Guest MIPS of a benchmark case: its instruction count over its mean time.</summary>
    public static double? Mips(Summary summary, BenchmarkCase c) => GuestMipsColumn.Mips(summary, c, InstructionsOf);

    /// <summary>Runs the benchmarks and prints wall time, guest MIPS and the share of bare side by side.</summary>
    public static int RunAndReport(string[] args)
    {
        var summary = BenchmarkRunner.Run<HypervisorBenchmarks>(args: args);
        var inv = CultureInfo.InvariantCulture;
        var bare = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == nameof(Bare));
        double? bareMips = bare is null ? null : Mips(summary, bare);
        Console.WriteLine();
        Console.WriteLine("| run | mean wall s | M guest instructions | guest MIPS | of bare |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var c in summary.BenchmarksCases)
        {
            string name = c.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
            if (summary[c]?.ResultStatistics is not { } stats || Mips(summary, c) is not double mips) continue;
            string share = bareMips is double b && b > 0 ? (mips / b).ToString("P0", inv) : "n/a";
            Console.WriteLine(string.Create(inv, $"| {name} | {stats.Mean / 1e9:F2} | {InstructionsOf(c.Descriptor.WorkloadMethod.Name) / 1e6:F0} | {mips:F0} | {share} |"));
        }
        return 0;
    }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new GuestMipsColumn("Guest instructions retired per second of host time (mean), in millions, all VMs together", InstructionsOf));
    }
}
