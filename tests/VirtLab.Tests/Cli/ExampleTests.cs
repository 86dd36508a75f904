using VirtLab.Assembly;

namespace VirtLab.Tests.Cli;

/// <summary>Every program under examples/ assembles with VirtLab's assembler and runs to success.</summary>
public sealed class ExampleTests
{
    private static List<string> ExampleNames() =>
        [.. Directory.GetFiles(CliHarness.ExamplesDirectory)
            .Where(file => Path.GetExtension(file) is ".s" or ".S")
            .Select(Path.GetFileName).OfType<string>()
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> Examples() => new(ExampleNames());

    [Fact]
    public void TheExpectedExamplesExist()
    {
        var names = ExampleNames();
        Assert.Contains("hello.s", names);
        Assert.Contains("timer.s", names);
        Assert.Contains("count.s", names);
        Assert.Contains("tohost-test.S", names);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleAssemblesWithoutErrors(string name)
    {
        string path = Path.Combine(CliHarness.ExamplesDirectory, name);
        var result = Assembler.Assemble(File.ReadAllText(path), name);
        Assert.True(result.Success, result.DiagnosticsText());
        Assert.True(result.Program!.TryGetSymbol("tohost", out _), "examples end through tohost, so they need the symbol");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleRunsToSuccess(string name)
    {
        var result = CliHarness.Run("run", Path.Combine(CliHarness.ExamplesDirectory, name));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("finished successfully", result.Output);
    }

    [Fact]
    public void CountPrintsTheSum() =>
        Assert.StartsWith("sum(1..100000) = 5000050000\n", CliHarness.Run("run", Path.Combine(CliHarness.ExamplesDirectory, "count.s")).Output);

    [Fact]
    public void TimerPrintsADotPerInterrupt() =>
        Assert.StartsWith(".....\n5 timer interrupts taken\n", CliHarness.Run("run", Path.Combine(CliHarness.ExamplesDirectory, "timer.s")).Output);
}

/// <summary>The benchmark programs assemble, and the one QEMU's start-up is timed on passes.</summary>
public sealed class BenchmarkProgramTests
{
    private static string ProgramsDirectory => Path.Combine(CliHarness.RepoRoot, "benchmarks", "VirtLab.Benchmarks", "Programs");

    [Theory]
    [InlineData("loop.s")]
    [InlineData("mixed.s")]
    [InlineData("trivial.s")]
    public void BenchmarkProgramAssembles(string name)
    {
        var result = Assembler.Assemble(File.ReadAllText(Path.Combine(ProgramsDirectory, name)), name);
        Assert.True(result.Success, result.DiagnosticsText());
        Assert.Equal(0x8000_0000u, result.Program!.Entry);   // QEMU's spike machine starts there
        Assert.True(result.Program.TryGetSymbol("tohost", out _));
        // QEMU's spike machine insists on an 8-byte tohost, and ignores it without a fromhost.
        Assert.Matches(@"\.size\s+tohost,\s*8", File.ReadAllText(Path.Combine(ProgramsDirectory, name)));
        Assert.True(result.Program.TryGetSymbol("fromhost", out _));
    }

    [Fact]
    public void ShortenedMixedProgramRunsToSuccess()
    {
        string source = File.ReadAllText(Path.Combine(ProgramsDirectory, "mixed.s"));
        Assert.Contains(".equ PASSES, 20000", source);
        var program = Assembler.Assemble(source.Replace(".equ PASSES, 20000", ".equ PASSES, 3"), "mixed.s").Program!;
        var machine = new VirtLab.Machine.Machine();
        Assert.Null(machine.Load(program));
        var result = machine.Run(10_000_000);
        Assert.True(result.Passed, result.Message);
    }
}
