namespace VirtLab.Tests.Cli;

/// <summary>
/// A test program in the Spike/riscv-tests convention, built by GNU as + ld with a riscv-tests style
/// linker script (tohost in its own section), runs on VirtLab and ends with its result; QEMU's spike
/// machine gives the same exit code. (QEMU's spike machine with -bios none starts at 0x80000000
/// whatever the ELF entry says, which is why riscv-tests put _start first, in .text.init.) Needs binutils-riscv64-unknown-elf (and qemu-system-misc for
/// the QEMU comparison): skipped without them, failed on CI.
/// </summary>
public sealed class GnuToolchainTests : IDisposable
{
    private const string LinkerScript = """
        OUTPUT_ARCH("riscv")
        ENTRY(_start)
        SECTIONS
        {
          . = 0x80000000;
          .text : { *(.text.init) *(.text) }
          . = ALIGN(0x1000);
          .tohost : { *(.tohost) }
          . = ALIGN(0x1000);
          .data : { *(.data) }
          .bss : { *(.bss) }
          _end = .;
        }
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly CliHarness _files = new();

    public void Dispose() => _files.Dispose();

    private static string Source => File.ReadAllText(Path.Combine(CliHarness.ExamplesDirectory, "tohost-test.S"));

    /// <summary>The example, and a copy whose test 2 expects a wrong value and so fails with code 2.</summary>
    public static TheoryData<string, int> Variants() => new() { { "pass", 0 }, { "fail2", 2 } };

    private static string VariantSource(string variant)
    {
        if (variant == "pass") return Source;
        const string expected = "li      a3, -1";
        Assert.Contains(expected, Source);
        return Source.Replace(expected, "li      a3, 7");
    }

    private string BuildWithGnu(string variant)
    {
        string assembler = ExternalTools.Require("riscv64-unknown-elf-as");
        string linker = ExternalTools.Require("riscv64-unknown-elf-ld");
        string source = _files.Write($"{variant}.S", VariantSource(variant));
        string script = _files.Write("link.ld", LinkerScript);
        string obj = Path.Combine(_files.Directory, $"{variant}.o");
        string elf = Path.Combine(_files.Directory, $"{variant}.elf");
        ExternalTools.RunChecked(assembler, ["-march=rv32im_zicsr", "-mabi=ilp32", "-o", obj, source], Timeout);
        ExternalTools.RunChecked(linker, ["-m", "elf32lriscv", "-nostdlib", "-T", script, "-o", elf, obj], Timeout);
        return elf;
    }

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void GnuBuiltTohostProgramRunsAndExitsWithItsResult(string variant, int expectedCode)
    {
        string elf = BuildWithGnu(variant);
        var result = CliHarness.Run("run", elf);
        Assert.True(result.ExitCode == expectedCode, result.ToString());
    }

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void QemuSpikeMachineAgreesOnTheExitCode(string variant, int expectedCode)
    {
        string elf = BuildWithGnu(variant);
        string qemu = ExternalTools.Require("qemu-system-riscv32");
        var result = ExternalTools.Run(qemu, ["-machine", "spike", "-cpu", "rv32,f=off,d=off", "-nographic", "-bios", "none", "-kernel", elf],
            TimeSpan.FromSeconds(20), standardInput: "");
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == expectedCode, result.ToString());
        Assert.Equal(expectedCode, CliHarness.Run("run", elf).ExitCode);
    }
}

/// <summary>An ELF written by VirtLab's assembler runs on QEMU's spike machine with the same exit code.</summary>
public sealed class VirtLabElfOnQemuTests : IDisposable
{
    private readonly CliHarness _files = new();

    public void Dispose() => _files.Dispose();

    [SkippableTheory]
    [InlineData("tohost-test.S", 0)]
    public void VirtLabElfRunsOnQemu(string example, int expectedCode)
    {
        string qemu = ExternalTools.Require("qemu-system-riscv32");
        var assembled = VirtLab.Assembly.Assembler.Assemble(File.ReadAllText(Path.Combine(CliHarness.ExamplesDirectory, example)), example);
        Assert.True(assembled.Success, assembled.DiagnosticsText());
        string elf = _files.Write("prog.elf", assembled.Program!.ToElf());
        var result = ExternalTools.Run(qemu, ["-machine", "spike", "-cpu", "rv32,f=off,d=off", "-nographic", "-bios", "none", "-kernel", elf],
            TimeSpan.FromSeconds(20), standardInput: "");
        Assert.True(!result.TimedOut && result.ExitCode == expectedCode, result.ToString());
        Assert.Equal(expectedCode, CliHarness.Run("run", elf).ExitCode);
    }
}
