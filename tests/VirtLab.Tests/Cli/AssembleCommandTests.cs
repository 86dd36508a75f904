using VirtLab.Cli;
using VirtLab.Programs;

namespace VirtLab.Tests.Cli;

/// <summary><c>virtlab assemble</c>: writes an ELF that loads back, or reports errors.</summary>
public sealed class AssembleCommandTests : IDisposable
{
    private readonly CliHarness _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void WritesAnElfThatRuns()
    {
        string source = _files.Write("hello.s", File.ReadAllText(Path.Combine(CliHarness.ExamplesDirectory, "hello.s")));
        var result = CliHarness.Run("assemble", source, "--listing");
        Assert.True(result.ExitCode == 0, result.ToString());
        string elf = Path.ChangeExtension(source, ".elf");
        Assert.Contains("80000000", result.Output);   // the listing
        var image = ProgramImage.FromElf(File.ReadAllBytes(elf));
        Assert.True(image.TryGetSymbol("tohost", out _));
        Assert.StartsWith("Hello, world!\n", CliHarness.Run("run", elf).Output);
    }

    [Fact]
    public void ErrorsGiveExitCode2AndNoFile()
    {
        string source = _files.Write("bad.s", "  bogus x1\n");
        string elf = Path.Combine(_files.Directory, "out.elf");
        var result = CliHarness.Run("assemble", source, "-o", elf);
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains($"{source}:1:3: error:", result.Error);
        Assert.False(File.Exists(elf));
    }
}
