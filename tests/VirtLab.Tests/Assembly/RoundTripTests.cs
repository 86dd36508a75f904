using VirtLab.Assembly;
using VirtLab.Machine;

namespace VirtLab.Tests.Assembly;

/// <summary>Assemble, disassemble, assemble again: the words must not change.</summary>
public class RoundTripTests
{
    private static uint Reassemble(string text, uint pc)
    {
        var result = Assembler.Assemble(text, "roundtrip.s", new AssemblerOptions { TextBase = pc });
        Assert.True(result.Success, $"'{text}' at 0x{pc:x}: {result.DiagnosticsText()}");
        return BitConverter.ToUInt32(result.Program!.Segments[0].Bytes, 0);
    }

    public static TheoryData<string> Sources() => GnuDifferentialTests.Sources();

    [Theory]
    [MemberData(nameof(Sources))]
    public void EveryInstructionOfTheSourcesSurvivesARoundTrip(string sourceName)
    {
        string source = File.ReadAllText(Path.Combine(GnuDifferentialTests.SourcesDirectory, sourceName));
        var result = Assembler.Assemble(source, sourceName);
        Assert.True(result.Success, result.DiagnosticsText());
        Assert.NotEmpty(result.Listing);
        foreach (var entry in result.Listing)
        {
            foreach (var style in new[] { DisassemblyStyle.Pseudo, DisassemblyStyle.Canonical })
            {
                string text = Disassembler.Disassemble(entry.Word, entry.Address, style);
                Assert.False(text.StartsWith(".word", StringComparison.Ordinal), $"0x{entry.Word:x8} from '{entry.Source}' did not decode");
                uint again = Reassemble(text, entry.Address);
                Assert.True(again == entry.Word, $"'{entry.Source}' -> 0x{entry.Word:x8} -> '{text}' -> 0x{again:x8}");
            }
        }
    }

    [Fact]
    public void RandomWordsSurviveARoundTrip()
    {
        // Any 32-bit word disassembles to text that assembles back to the same word
        // (words that are not instructions come back as ".word 0x...").
        var random = new Random(20240601);
        const uint pc = 0x8000_0000;
        var failures = new List<string>();
        for (int i = 0; i < 4000; i++)
        {
            uint word = (uint)random.NextInt64(0, 1L << 32);
            // Half the time force a real opcode so every format gets plenty of coverage.
            if (i % 2 == 0)
            {
                var d = InstructionSet.All[random.Next(InstructionSet.All.Count)];
                word = (word & ~d.Mask) | d.Match;
            }
            foreach (var style in new[] { DisassemblyStyle.Pseudo, DisassemblyStyle.Canonical })
            {
                string text = Disassembler.Disassemble(word, pc, style);
                uint again = Reassemble(text, pc);
                if (again != word) failures.Add($"0x{word:x8} -> '{text}' -> 0x{again:x8}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void EveryWordComparedWithObjdumpSurvivesARoundTrip()
    {
        // The differential test's words, disassembled at address 4*i, form one program that must
        // assemble back to the same words (branch targets are absolute, so the addresses must match).
        uint[] words = ObjdumpDifferentialTests.TestWords();
        foreach (var style in new[] { DisassemblyStyle.Pseudo, DisassemblyStyle.Canonical })
        {
            var source = new System.Text.StringBuilder();
            for (int i = 0; i < words.Length; i++) source.AppendLine(Disassembler.Disassemble(words[i], (uint)(4 * i), style));
            uint[] again = EncodingTests.Words(source.ToString());
            Assert.Equal(words.Length, again.Length);
            var failures = Enumerable.Range(0, words.Length).Where(i => again[i] != words[i])
                .Select(i => $"0x{words[i]:x8} -> '{Disassembler.Disassemble(words[i], (uint)(4 * i), style)}' -> 0x{again[i]:x8}");
            Assert.True(!failures.Any(), $"{style}:\n" + string.Join("\n", failures.Take(20)));
        }
    }

    [Theory]
    [InlineData(0x00150513u, 0u, "addi a0, a0, 1")]
    [InlineData(0x30529073u, 0u, "csrw mtvec, t0")]
    [InlineData(0x00000013u, 0u, "nop")]
    [InlineData(0x00008067u, 0u, "ret")]
    [InlineData(0xfff00513u, 0u, "li a0, -1")]
    [InlineData(0x00b50463u, 0x100u, "beq a0, a1, 0x108")]
    [InlineData(0x12345537u, 0u, "lui a0, 0x12345")]
    [InlineData(0xfec42783u, 0u, "lw a5, -20(s0)")]
    [InlineData(0x0ff0000fu, 0u, "fence")]
    [InlineData(0x0310000fu, 0u, "fence rw, w")]
    [InlineData(0xc0002573u, 0u, "rdcycle a0")]
    [InlineData(0x7c029073u, 0u, "csrw 0x7c0, t0")]
    [InlineData(0x0000007fu, 0u, ".word 0x0000007f")]
    [InlineData(0x38268067u, 0u, "jr 898(a3)")]
    [InlineData(0xbe3380e7u, 0u, "jalr -1053(t2)")]
    [InlineData(0x000500e7u, 0u, "jalr a0")]
    [InlineData(0x00005063u, 0x10u, "blez zero, 0x10")]
    [InlineData(0x10202573u, 0u, "csrr a0, 0x102")]
    public void DisassemblesLikeObjdump(uint word, uint pc, string expected) =>
        Assert.Equal(expected, Disassembler.Disassemble(word, pc));

    [Fact]
    public void CanonicalStyleAvoidsPseudoInstructions()
    {
        Assert.Equal("csrrw zero, mtvec, t0", Disassembler.Disassemble(0x30529073u, 0, DisassemblyStyle.Canonical));
        Assert.Equal("addi zero, zero, 0", Disassembler.Disassemble(0x00000013u, 0, DisassemblyStyle.Canonical));
    }
}
