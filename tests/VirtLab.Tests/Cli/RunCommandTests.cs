using VirtLab.Assembly;
using VirtLab.Cli;

namespace VirtLab.Tests.Cli;

/// <summary><c>virtlab run</c>, called in-process exactly as from a shell.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly CliHarness _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A program that ends by writing <paramref name="tohostValue"/> to tohost (low word, then high word).</summary>
    private static string ExitThroughTohost(uint tohostValue) => $$"""
                .text
                .globl _start
        _start:
                li      a0, {{tohostValue}}
                la      t0, tohost
                sw      a0, 0(t0)
                sw      zero, 4(t0)
        1:      j       1b
                .data
                .align  3
                .globl  tohost
        tohost: .dword  0
                .size   tohost, 8
        """;

    [Fact]
    public void HelloPrintsAndExitsZero()
    {
        var result = CliHarness.Run("run", Path.Combine(CliHarness.ExamplesDirectory, "hello.s"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Hello, world!\n", result.Output);
        Assert.Contains("finished successfully", result.Output);
        Assert.Contains("instructions", result.Output);
        Assert.Contains("MIPS", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void QuietPrintsOnlyTheProgramsOutput()
    {
        var result = CliHarness.Run("run", "--quiet", Path.Combine(CliHarness.ExamplesDirectory, "hello.s"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Hello, world!\n", result.Output);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    [InlineData(100)]
    public void FailingTohostProgramExitsWithItsCode(int code)
    {
        string path = _files.Write("fail.s", ExitThroughTohost(((uint)code << 1) | 1));
        var result = CliHarness.Run("run", path);
        Assert.True(result.ExitCode == code, result.ToString());
        Assert.Contains($"failure with code {code}", result.Output);
    }

    [Fact]
    public void GuestCodeThatIsAMultipleOf256StillFails()
    {
        string path = _files.Write("fail256.s", ExitThroughTohost((256u << 1) | 1));
        Assert.Equal(ExitCodes.GuestFailure, CliHarness.Run("run", path).ExitCode);
    }

    [Fact]
    public void TestFinisherFailureCodeIsTheExitCode()
    {
        string path = _files.Write("finisher.s", """
                    li      t0, 0x00100000
                    li      t1, 0x00053333      # fail with code 5
                    sw      t1, 0(t0)
            1:      j       1b
            """);
        var result = CliHarness.Run("run", path);
        Assert.True(result.ExitCode == 5, result.ToString());
    }

    [Fact]
    public void HtifConsoleOutputIsPrinted()
    {
        // device 1, command 1: print the low byte. The high word 0x01010000 is written last.
        string path = _files.Write("htif-putc.s", """
                    la      t0, tohost
                    li      t1, 'A'
                    sw      t1, 0(t0)
                    li      t1, 0x01010000
                    sw      t1, 4(t0)
                    li      t1, 1
                    sw      t1, 0(t0)
                    sw      zero, 4(t0)
            1:      j       1b
                    .data
                    .align  3
                    .globl  tohost
            tohost: .dword  0
            """);
        var result = CliHarness.Run("run", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("A\n", result.Output);
    }

    [Fact]
    public void ElfWrittenByVirtLabsAssemblerRuns()
    {
        var assembled = Assembler.Assemble(File.ReadAllText(Path.Combine(CliHarness.ExamplesDirectory, "hello.s")), "hello.s");
        Assert.True(assembled.Success, assembled.DiagnosticsText());
        string path = _files.Write("hello.elf", assembled.Program!.ToElf());
        var result = CliHarness.Run("run", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Hello, world!\n", result.Output);
    }

    [Fact]
    public void ElfWithoutExtensionIsRecognisedByItsMagic()
    {
        var assembled = Assembler.Assemble(ExitThroughTohost((3u << 1) | 1), "exit3.s");
        string path = _files.Write("exit3", assembled.Program!.ToElf());
        Assert.Equal(3, CliHarness.Run("run", path).ExitCode);
    }

    [Fact]
    public void MalformedAssemblyReportsEveryErrorAsFileLineColumn()
    {
        string path = _files.Write("bad.s", "        addi a0, a0\n        nop\n        frobnicate a0\n        lw a0, 4(q7)\n");
        var result = CliHarness.Run("run", path);
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains($"{path}:1:9: error:", result.Error);
        Assert.Contains($"{path}:3:9: error:", result.Error);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(path)}:4:\d+: error:", result.Error);
        Assert.DoesNotContain("   at ", result.Error);   // no stack trace
        Assert.Equal("", result.Output);                   // nothing ran
    }

    [Fact]
    public void MalformedElfGivesOneClearLine()
    {
        string path = _files.Write("garbage.elf", new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 9, 9, 9 });
        var result = CliHarness.Run("run", path);
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains("not a RISC-V ELF32 executable", result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void TraceShowsChangedRegisters()
    {
        string path = _files.Write("trace.s", ExitThroughTohost(1).Replace("li      a0, 1", "li      a0, 42\n        li      a0, 1"));
        var result = CliHarness.Run("run", "--trace", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        string line = result.Output.Split('\n').First(l => l.Contains("a0=0x0000002a"));
        Assert.StartsWith("[0] 80000000  02a00513  li a0, 42", line);
    }

    [Fact]
    public void TraceShowsUartOutputUnderTheStoreThatSentIt()
    {
        var result = CliHarness.Run("run", "-t", Path.Combine(CliHarness.ExamplesDirectory, "hello.s"));
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n');
        int uart = Array.FindIndex(lines, l => l.Trim() == "uart: \"H\"");
        Assert.True(uart > 0, result.Output);
        Assert.Contains("sb t1, 0(t0)", lines[uart - 1]);
    }

    [Fact]
    public void LoopingProgramStopsAtTheInstructionBudget()
    {
        string path = _files.Write("loop.s", "loop:   addi a0, a0, 1\n        j loop\n");
        var result = CliHarness.Run("run", "--max-instructions", "1000", path);
        Assert.Equal(ExitCodes.BudgetExhausted, result.ExitCode);
        Assert.Contains("instruction budget", result.Output);
        Assert.Matches(@"instructions\s+1,000\b", result.Output);
    }

    [Fact]
    public void WaitingForAnInterruptThatCannotComeIsADeadlock()
    {
        string path = _files.Write("deadlock.s", "        wfi\n        j .\n");
        var result = CliHarness.Run("run", path);
        Assert.Equal(ExitCodes.Deadlocked, result.ExitCode);
        Assert.Contains("deadlock", result.Output);
    }

    [Fact]
    public void UnsupportedHtifCommandIsReported()
    {
        string path = _files.Write("htif-bad.s", ExitThroughTohost(2).Replace("sw      zero, 4(t0)", "li t1, 0x05000000\n        sw      t1, 4(t0)"));
        var result = CliHarness.Run("run", path);
        Assert.Equal(ExitCodes.Unsupported, result.ExitCode);
        Assert.Contains("unsupported HTIF command", result.Output);
    }

    [Fact]
    public void MissingFileGivesOneLine()
    {
        var result = CliHarness.Run("run", Path.Combine(_files.Directory, "nope.s"));
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Equal($"{Path.Combine(_files.Directory, "nope.s")}: no such file\n", result.Error);
    }

    [Fact]
    public void UnknownFileTypeGivesOneLine()
    {
        string path = _files.Write("notes.txt", "hello");
        var result = CliHarness.Run("run", path);
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains("don't know how to run a '.txt' file", result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("--ram-mib", "0")]
    [InlineData("--ram-mib", "4096")]
    [InlineData("--max-instructions", "0")]
    [InlineData("--max-instructions", "lots")]
    public void BadOptionValuesAreUsageErrors(string option, string value)
    {
        var result = CliHarness.Run("run", option, value, Path.Combine(CliHarness.ExamplesDirectory, "hello.s"));
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains(option, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void ProgramTooBigForRamIsRefused()
    {
        string path = _files.Write("big.s", "        j .\n        .data\n        .space 0x200000\n");
        var result = CliHarness.Run("run", "--ram-mib", "1", path);
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains("does not fit", result.Error);
    }

    [Fact]
    public void HelpListsTheExitCodes()
    {
        var result = CliHarness.Run("run", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("virtlab run <program>", result.Output);
        Assert.Contains("124", result.Output);
        Assert.Contains("125", result.Output);
    }

    [Fact]
    public void NoCommandShowsHelp()
    {
        var result = CliHarness.Run();
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains("run <program>", result.Output);
    }
}
