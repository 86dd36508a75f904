using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using VirtLab.Benchmarks;

// VirtLab benchmarks: guest MIPS of the emulated machine on standard programs, side by side with
// QEMU's TCG running the same ELF files.
//
//   dotnet run -c Release --project benchmarks/VirtLab.Benchmarks -- --quick     a few runs, then the table
//   dotnet run -c Release --project benchmarks/VirtLab.Benchmarks                 BenchmarkDotNet, then the table
//
//   dotnet run -c Release --project benchmarks/VirtLab.Benchmarks -- --hypervisor [S]  16 VMs on 4x2 threads for S simulated seconds (default 10)
//   dotnet run -c Release --project benchmarks/VirtLab.Benchmarks -- --hypervisor --bdn the same 10 s under BenchmarkDotNet, beside the bare loop
//   dotnet run -c Release --project benchmarks/VirtLab.Benchmarks -- --fleet [--quick]  the fleet simulator: the PlanetLab day, and 1k..10k synthetic VMs
//
// Options: --quick, --runs N (quick mode, default 3), --no-qemu. Anything else goes to BenchmarkDotNet
// (e.g. --filter '*loop*').

if (args.Length > 0 && args[0] == "--fleet") return FleetBenchmark.Run([.. args.Skip(1)]);

if (args.Length > 0 && args[0] == "--hypervisor")
{
    if (args.Contains("--bdn")) return HypervisorBenchmarks.RunAndReport([.. args.Skip(1).Where(a => a != "--bdn")]);
    double seconds = args.Length > 1 && double.TryParse(args[1], CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 10;
    HypervisorBenchmark.Run(seconds);
    return 0;
}

var rest = new List<string>();
bool quick = false, skipQemu = false;
int runs = 3;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--no-qemu": skipQemu = true; break;
        case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0: runs = n; i++; break;
        default: rest.Add(args[i]); break;
    }
}

#if DEBUG
Console.WriteLine("warning: a Debug build; run with -c Release for figures worth quoting.");
#endif

var inv = CultureInfo.InvariantCulture;
var measured = new List<(GuestProgram, ulong, double)>();
if (quick)
{
    foreach (string name in GuestProgram.Measured)
    {
        var program = GuestProgram.Load(name);
        var warm = program.Run();   // JIT warm-up, and the instruction count
        double best = 0, interpreted = 0;
        for (int i = 0; i < runs; i++)
        {
            best = Math.Max(best, program.Run().Mips);
            interpreted = Math.Max(interpreted, program.Run(translationThreshold: 0).Mips);
        }
        Console.WriteLine(string.Create(inv, $"VirtLab {name}: {warm.Instructions:N0} instructions, best of {runs}: {best:F1} MIPS ({interpreted:F1} on the interpreter alone, translation off)"));
        measured.Add((program, warm.Instructions, best));
    }
}
else
{
    var summary = BenchmarkRunner.Run<MachineBenchmarks>(args: [.. rest]);
    foreach (var report in summary.Reports)
    {
        string name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo;
        if (MachineBenchmarks.Mips(summary, report.BenchmarkCase) is double mips)
            measured.Add((GuestProgram.Load(name), MachineBenchmarks.InstructionsOf(name), mips));
    }
}

if (measured.Count == 0)
{
    Console.Error.WriteLine("no benchmark produced a result");
    return 1;
}
var rows = Comparison.Compare(measured, skipQemu, Console.Out);
Comparison.PrintTable(rows, Console.Out);
Console.WriteLine($"host: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
return 0;
