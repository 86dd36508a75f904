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
