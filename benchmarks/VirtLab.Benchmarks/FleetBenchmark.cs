using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using VirtLab.Fleet;

namespace VirtLab.Benchmarks;

/// <summary>
/// <c>--fleet</c>: the fleet simulator's speed (issue 13). Runs <see cref="FleetDayBenchmarks"/>
/// (the real PlanetLab day, if its traces are found) and <see cref="FleetScalingBenchmarks"/> under
/// BenchmarkDotNet, then prints one table: mean wall time per simulated day, microseconds per VM
/// and interval, and each size's time relative to 1k VMs. <c>--fleet --quick</c> times the same
/// runs with a stopwatch (best of three) instead.
/// <para>
/// The traces are not part of VirtLab: set <c>VIRTLAB_PLANETLAB</c> to their folder, or keep them
/// in ../shared/data/planetlab-20110303 beside the repository.
/// </para>
/// </summary>
public static class FleetBenchmark
{
    private const string TracesVariable = "VIRTLAB_PLANETLAB";

    /// <summary>The folder of the PlanetLab day, or null when it is not there.</summary>
    public static string? PlanetLabFolder()
    {
        if (Environment.GetEnvironmentVariable(TracesVariable) is string set) return Directory.Exists(set) ? set : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VirtLab.sln")))
            {
                string folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "planetlab-20110303"));
                return Directory.Exists(folder) ? folder : null;
            }
        return null;
    }

    /// <summary>The PlanetLab day's traces (BenchmarkDotNet's child processes find them through the environment variable).</summary>
    public static TraceSet PlanetLabDay() =>
        TraceReader.ReadPlanetLab(PlanetLabFolder() ?? throw new InvalidOperationException($"PlanetLab traces not found; set {TracesVariable}"));

    /// <summary>Runs the benchmarks (<c>--quick</c>: the stopwatch instead) and prints the table; the rest of <paramref name="args"/> goes to BenchmarkDotNet.</summary>
    public static int Run(string[] args)
    {
        string? folder = PlanetLabFolder();
        if (folder is null) Console.WriteLine($"note: the PlanetLab traces were not found (set {TracesVariable}); only the synthetic fleets run");
        else Environment.SetEnvironmentVariable(TracesVariable, folder);

        var rows = new List<(string Name, int Vms, MemoryCheck Memory, double Seconds)>();
        if (args.Contains("--quick"))
        {
            if (folder is not null)
                foreach (var memory in Enum.GetValues<MemoryCheck>())
                    rows.Add(("PlanetLab day", PlanetLabScenario.PlanetLabDayVms, memory, BestOfThree(PlanetLabScenario.Create(PlanetLabDay(), memory: memory))));
            foreach (int vms in new[] { 1000, 2000, 5000, 10000 })
                foreach (var memory in Enum.GetValues<MemoryCheck>())
                    rows.Add(("synthetic day", vms, memory, BestOfThree(PlanetLabScenario.CreateSynthetic(vms, seed: 1, memory: memory))));
        }
        else
        {
            var rest = args.Where(a => a != "--quick").ToArray();
            // The 2-core machine is shared: building the benchmark's child project can take longer
            // than BenchmarkDotNet's default two minutes.
            var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
            var summaries = new List<Summary>();
            if (folder is not null) summaries.Add(BenchmarkRunner.Run<FleetDayBenchmarks>(config, rest));
            summaries.Add(BenchmarkRunner.Run<FleetScalingBenchmarks>(config, rest));
            foreach (var summary in summaries)
                foreach (var c in summary.BenchmarksCases)
                {
                    if (summary[c]?.ResultStatistics is not { } stats) continue;
                    var memory = (MemoryCheck)c.Parameters["Memory"];
                    int vms = c.Parameters.Items.Any(p => p.Name == "Vms") ? (int)c.Parameters["Vms"] : PlanetLabScenario.PlanetLabDayVms;
                    rows.Add((c.Descriptor.Type == typeof(FleetDayBenchmarks) ? "PlanetLab day" : "synthetic day", vms, memory, stats.Mean / 1e9));
                }
        }
        Print(rows);
        return 0;
    }

    private static double BestOfThree(DataCenter dataCenter)
    {
        FleetSimulation.Run(dataCenter, ConsolidationPolicy.Lr(1.2));   // JIT warm-up
        double best = double.PositiveInfinity;
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            FleetSimulation.Run(dataCenter, ConsolidationPolicy.Lr(1.2));
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static void Print(List<(string Name, int Vms, MemoryCheck Memory, double Seconds)> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| fleet (lr-mmt-1.2, 288 intervals) | VMs | RAM checked | wall s per day | us per VM-interval | vs 1k VMs |");
        Console.WriteLine("| --- | ---: | --- | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            var baseline = rows.FirstOrDefault(r => r.Name == "synthetic day" && r.Vms == 1000 && r.Memory == row.Memory);
            string ratio = row.Name == "synthetic day" && baseline.Seconds > 0 ? (row.Seconds / baseline.Seconds).ToString("F1", inv) + "x" : "";
            string memory = row.Memory == MemoryCheck.Always ? "always" : "initial only";
            Console.WriteLine(string.Create(inv, $"| {row.Name} | {row.Vms} | {memory} | {row.Seconds:F3} | {row.Seconds * 1e6 / (row.Vms * 288.0):F2} | {ratio} |"));
        }
        Console.WriteLine($"host: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    }
}
