using VirtLab.Assembly;
using VirtLab.Programs;

namespace VirtLab.Tests.Programs;

/// <summary>ProgramImage to ELF and back, and what FromElf does with broken files.</summary>
public class ElfTests
{
    private const string Sample = """
        .text
        .globl _start
        _start:
            la   t0, tohost
            li   t1, 1
            sw   t1, 0(t0)
        1:  j    1b
        .data
        message: .asciz "hi"
        .section .tohost, "aw"
        tohost: .word 0
        .bss
        stack: .space 256
        """;

    private static ProgramImage SampleProgram()
    {
        var result = Assembler.Assemble(Sample, "sample.s");
        Assert.True(result.Success, result.DiagnosticsText());
        return result.Program!;
    }

    [Fact]
    public void RoundTripKeepsSegmentsEntryAndSymbols()
    {
        var original = SampleProgram();
        var copy = ProgramImage.FromElf(original.ToElf());

        Assert.Equal(original.Entry, copy.Entry);
        Assert.Equal(original.Symbols.OrderBy(s => s.Key), copy.Symbols.OrderBy(s => s.Key));
        Assert.Equal(original.Segments.Count, copy.Segments.Count);
        for (int i = 0; i < original.Segments.Count; i++)
        {
            var (a, b) = (original.Segments[i], copy.Segments[i]);
            Assert.Equal((a.Name, a.Address, a.MemorySize, a.Executable, a.Writable), (b.Name, b.Address, b.MemorySize, b.Executable, b.Writable));
            Assert.Equal(a.Bytes, b.Bytes);
        }
        Assert.True(copy.TryGetSymbol("tohost", out uint tohost));
        Assert.Equal(original.Symbols["tohost"], tohost);
    }

    [Fact]
    public void HeaderSaysRiscVExecutable()
    {
        byte[] elf = SampleProgram().ToElf();
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1 }, elf[..7]);
        Assert.Equal(2, BitConverter.ToUInt16(elf, 16));   // ET_EXEC
        Assert.Equal(243, BitConverter.ToUInt16(elf, 18)); // EM_RISCV
    }

    [Fact]
    public void EveryTruncationIsAFormatError()
    {
        byte[] elf = SampleProgram().ToElf();
        for (int length = 0; length < elf.Length; length++)
        {
            try
            {
                ProgramImage.FromElf(elf[..length]);
            }
            catch (ProgramFormatException)
            {
            }
        }
        Assert.Throws<ProgramFormatException>(() => ProgramImage.FromElf(elf[..51]));
        Assert.Throws<ProgramFormatException>(() => ProgramImage.FromElf(elf[..200]));
    }

    [Theory]
    [InlineData(0, 0x00, "magic")]
    [InlineData(4, 2, "EI_CLASS")]
    [InlineData(5, 2, "EI_DATA")]
    [InlineData(16, 1, "e_type")]
    [InlineData(18, 62, "e_machine")]
    [InlineData(42, 31, "e_phentsize")]
    [InlineData(46, 39, "e_shentsize")]
    [InlineData(50, 200, "e_shstrndx")]
    public void MessageNamesTheBadField(int offset, byte value, string field)
    {
        byte[] elf = SampleProgram().ToElf();
        elf[offset] = value;
        var error = Assert.Throws<ProgramFormatException>(() => ProgramImage.FromElf(elf));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullAndEmptyInputAreFormatErrors()
    {
        Assert.Throws<ProgramFormatException>(() => ProgramImage.FromElf(null!));
        Assert.Throws<ProgramFormatException>(() => ProgramImage.FromElf([]));
    }

    [Fact]
    public void RandomCorruptionOnlyEverThrowsProgramFormatException()
    {
        byte[] elf = SampleProgram().ToElf();
        var random = new Random(7);
        for (int i = 0; i < 5000; i++)
        {
            byte[] corrupt = (byte[])elf.Clone();
            int flips = random.Next(1, 6);
            for (int f = 0; f < flips; f++) corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            try
            {
                ProgramImage.FromElf(corrupt);
            }
            catch (ProgramFormatException)
            {
            }
        }
    }

    [SkippableFact]
    public void GnuReadelfAcceptsOurElf()
    {
        string readelf = ExternalTools.Require("riscv64-unknown-elf-readelf");
        string objdump = ExternalTools.Require("riscv64-unknown-elf-objdump");
        string path = Path.Combine(Path.GetTempPath(), $"virtlab-{Guid.NewGuid():N}.elf");
        try
        {
            File.WriteAllBytes(path, SampleProgram().ToElf());
            var symbols = ExternalTools.RunChecked(readelf, ["-W", "-h", "-l", "-S", "-s", path]);
            Assert.Contains("RISC-V", symbols.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("tohost", symbols.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Warning", symbols.StandardError, StringComparison.Ordinal);
            var disassembly = ExternalTools.RunChecked(objdump, ["-d", path]);
            Assert.Contains("auipc", disassembly.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
