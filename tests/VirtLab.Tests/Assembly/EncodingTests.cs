using VirtLab.Assembly;
using VirtLab.Machine;

namespace VirtLab.Tests.Assembly;

/// <summary>Encodings of every instruction format and every pseudo-instruction (expected words from the spec, checked with GNU as).</summary>
public class EncodingTests
{
    private static readonly AssemblerOptions AtZero = new() { TextBase = 0 };

    internal static uint[] Words(string source, uint textBase = 0)
    {
        var result = Assembler.Assemble(source, "test.s", new AssemblerOptions { TextBase = textBase });
        Assert.True(result.Success, result.DiagnosticsText());
        var text = result.Program!.Segments.Single(s => s.Name == ".text");
        return [.. Enumerable.Range(0, text.Bytes.Length / 4).Select(i => BitConverter.ToUInt32(text.Bytes, 4 * i))];
    }

    [Theory]
    // R-type: funct7 | rs2 | rs1 | funct3 | rd | opcode
    [InlineData("add a0, a1, a2", 0x00c58533u)]
    [InlineData("sub a0, a1, a2", 0x40c58533u)]
    [InlineData("mul a0, a1, a2", 0x02c58533u)]
    [InlineData("remu t0, t1, t2", 0x027372b3u)]
    // I-type
    [InlineData("addi a0, a0, 1", 0x00150513u)]
    [InlineData("lw a0, 8(sp)", 0x00812503u)]
    [InlineData("slli a0, a0, 3", 0x00351513u)]
    [InlineData("srai a0, a0, 3", 0x40355513u)]
    [InlineData("jalr zero, 0(ra)", 0x00008067u)]
    // S-type
    [InlineData("sw a0, 8(sp)", 0x00a12423u)]
    // B-type (targets are absolute; the text starts at 0)
    [InlineData("beq a0, a1, 8", 0x00b50463u)]
    [InlineData("nop\nbne a0, a1, 0", 0x00000013u, 0xfeb51ee3u)]
    // U-type
    [InlineData("lui a0, 0x12345", 0x12345537u)]
    [InlineData("auipc t0, 0xfffff", 0xfffff297u)]
    // J-type
    [InlineData("jal ra, 16", 0x010000efu)]
    // Zicsr, fences, system
    [InlineData("csrrw zero, mtvec, t0", 0x30529073u)]
    [InlineData("csrrwi a0, mscratch, 5", 0x3402d573u)]
    [InlineData("fence rw, rw", 0x0330000fu)]
    [InlineData("fence", 0x0ff0000fu)]
    [InlineData("fence.i", 0x0000100fu)]
    [InlineData("fence.tso", 0x8330000fu)]
    [InlineData("ecall", 0x00000073u)]
    [InlineData("ebreak", 0x00100073u)]
    [InlineData("mret", 0x30200073u)]
    [InlineData("wfi", 0x10500073u)]
    // Targets wrap around the 32-bit address space: from 0, 0xfff00000 is 1 MiB back (GNU ld agrees).
    [InlineData("jal zero, 0xfff00000", 0x8000006fu)]
    [InlineData("beq a0, a1, 0xfffff000", 0x80b50063u)]
    public void EncodesEachFormat(string source, params uint[] expected) =>
        Assert.Equal(expected, Words(source));

    [Theory]
    [InlineData("li a0, 0x12345678", 0x12345537u, 0x67850513u)]
    [InlineData("li a0, -1", 0xfff00513u)]
    [InlineData("li a0, 0xffffffff", 0xfff00513u)]
    [InlineData("li a0, 0x80000000", 0x80000537u)]
    [InlineData("li a0, 0", 0x00000513u)]
    [InlineData("mv a0, a1", 0x00058513u)]
    [InlineData("not a0, a1", 0xfff5c513u)]
    [InlineData("neg a0, a1", 0x40b00533u)]
    [InlineData("seqz a0, a1", 0x0015b513u)]
    [InlineData("snez a0, a1", 0x00b03533u)]
    [InlineData("sltz a0, a1", 0x0005a533u)]
    [InlineData("sgtz a0, a1", 0x00b02533u)]
    [InlineData("j . + 8", 0x0080006fu)]
    [InlineData("jal . + 8", 0x008000efu)]
    [InlineData("jr t0", 0x00028067u)]
    [InlineData("jalr t0", 0x000280e7u)]
    [InlineData("ret", 0x00008067u)]
    [InlineData("nop", 0x00000013u)]
    [InlineData("beqz a0, . + 8", 0x00050463u)]
    [InlineData("bnez a0, . + 8", 0x00051463u)]
    [InlineData("blez a0, . + 8", 0x00a05463u)]
    [InlineData("bgez a0, . + 8", 0x00055463u)]
    [InlineData("bltz a0, . + 8", 0x00054463u)]
    [InlineData("bgtz a0, . + 8", 0x00a04463u)]
    [InlineData("bgt a0, a1, . + 8", 0x00a5c463u)]
    [InlineData("ble a0, a1, . + 8", 0x00a5d463u)]
    [InlineData("bgtu a0, a1, . + 8", 0x00a5e463u)]
    [InlineData("bleu a0, a1, . + 8", 0x00a5f463u)]
    [InlineData("csrr a0, mstatus", 0x30002573u)]
    [InlineData("csrw mstatus, a0", 0x30051073u)]
    [InlineData("csrs mstatus, a0", 0x30052073u)]
    [InlineData("csrc mstatus, a0", 0x30053073u)]
    [InlineData("csrwi mstatus, 1", 0x3000d073u)]
    [InlineData("csrsi mstatus, 2", 0x30016073u)]
    [InlineData("csrci mstatus, 3", 0x3001f073u)]
    [InlineData("rdcycle a0", 0xc0002573u)]
    [InlineData("rdtime a0", 0xc0102573u)]
    [InlineData("rdinstret a0", 0xc0202573u)]
    [InlineData("rdcycleh a0", 0xc8002573u)]
    [InlineData("rdtimeh a0", 0xc8102573u)]
    [InlineData("rdinstreth a0", 0xc8202573u)]
    [InlineData("la a0, target\ntarget:", 0x00000517u, 0x00850513u)]
    [InlineData("call target\ntarget:", 0x00000097u, 0x008080e7u)]
    [InlineData("tail target\ntarget:", 0x00000317u, 0x00830067u)]
    public void ExpandsEachPseudoInstruction(string source, params uint[] expected) =>
        Assert.Equal(expected, Words(source));

    [Fact]
    public void RelocationFunctionsSplitAnAddress()
    {
        // %hi rounds up when bit 11 of the address is set, because %lo is sign-extended.
        uint[] words = Words("lui a0, %hi(0x12345fff)\naddi a0, a0, %lo(0x12345fff)");
        Assert.Equal(0x12346537u, words[0]);
        Assert.Equal(0xfff50513u, words[1]);
    }

    [Fact]
    public void PcrelLoRefersToTheLabelOnTheAuipc()
    {
        uint[] words = Words("nop\n1: auipc a0, %pcrel_hi(data)\n   addi a0, a0, %pcrel_lo(1b)\n.space 0x1000\ndata: .word 0");
        // data is at 0x100c, the auipc at 0x4: offset 0x1008 = (1 << 12) + 8.
        Assert.Equal(0x00001517u, words[1]);
        Assert.Equal(0x00850513u, words[2]);
    }

    [Fact]
    public void ForwardAndBackwardLocalLabels()
    {
        // "1b" is the nearest "1:" at or before this line, "1f" the nearest after it.
        uint[] words = Words("1: j 1f\n   j 1b\n1: j 1b\n   j 1b\n   j 1f\n1: nop");
        Assert.Equal(["j 0x8", "j 0x0", "j 0x8", "j 0x8", "j 0x14", "nop"], words.Select((w, i) => Disassembler.Disassemble(w, (uint)(4 * i))));
    }

    [Fact]
    public void ExpressionsFollowGnuPrecedence()
    {
        // In GNU as, << binds tighter than +: 1 + 2 << 3 is 1 + 16.
        var result = Assembler.Assemble(".data\n.word 1 + 2 << 3, (1 + 2) << 3, 'a', 0x10 | 0b11, 010, ~0, -7 / 2, 7 % -3, 6 & 3 ^ 1");
        Assert.True(result.Success, result.DiagnosticsText());
        var data = result.Program!.Segments.Single(s => s.Name == ".data").Bytes;
        int[] values = [.. Enumerable.Range(0, data.Length / 4).Select(i => BitConverter.ToInt32(data, 4 * i))];
        Assert.Equal([17, 24, 97, 0x13, 8, -1, -3, 1, 3], values);
    }

    [Fact]
    public void StringEscapes()
    {
        var result = Assembler.Assemble(".data\n.asciz \"a\\n\\t\\\\\\\"\\x41\\101\\0\"");
        Assert.True(result.Success, result.DiagnosticsText());
        Assert.Equal("a\n\t\\\"AA\0\0"u8.ToArray(), result.Program!.Segments.Single().Bytes);
    }

    [Fact]
    public void SectionsAreLaidOutInOrderAndAligned()
    {
        var result = Assembler.Assemble(".bss\nb: .space 8\n.data\nd: .byte 1\n.section .rodata\nr: .byte 2\n.text\n_start: nop\nnop\nnop");
        Assert.True(result.Success, result.DiagnosticsText());
        var p = result.Program!;
        Assert.Equal([".text", ".data", ".rodata", ".bss"], p.Segments.Select(s => s.Name));
        Assert.Equal([0x8000_0000u, 0x8000_0010u, 0x8000_0020u, 0x8000_0030u], p.Segments.Select(s => s.Address));
        Assert.True(p.Segments[0].Executable && !p.Segments[0].Writable);
        Assert.True(!p.Segments[2].Writable && p.Segments[3].Writable);
        Assert.Empty(p.Segments[3].Bytes);
        Assert.Equal(8u, p.Segments[3].MemorySize);
        Assert.Equal(0x8000_0000u, p.Entry);
        Assert.Equal(0x8000_0030u, p.Symbols["b"]);
    }

    [Fact]
    public void EntryIsStartSymbol()
    {
        var result = Assembler.Assemble("nop\n_start: nop");
        Assert.Equal(0x8000_0004u, result.Program!.Entry);
    }

    [Fact]
    public void ListingHasAddressWordAndSource()
    {
        var result = Assembler.Assemble("  li a0, 0x12345678 # comment\n  ret", options: AtZero);
        Assert.Equal(3, result.Listing.Count);
        Assert.Equal((0u, 0x12345537u, 1, "li a0, 0x12345678 # comment"),
            (result.Listing[0].Address, result.Listing[0].Word, result.Listing[0].Line, result.Listing[0].Source));
        Assert.Equal((8u, 0x00008067u, 2), (result.Listing[2].Address, result.Listing[2].Word, result.Listing[2].Line));
    }

    [Fact]
    public void TablesAreConsistent()
    {
        Assert.Equal("a0", RegisterNames.AbiName(10));
        Assert.True(RegisterNames.TryParse("fp", out int fp) && fp == 8);
        Assert.True(CsrNames.TryGetNumber("mtvec", out ushort mtvec) && mtvec == 0x305);
        Assert.True(CsrNames.TryGetName(0xB03, out string name) && name == "mhpmcounter3");
        foreach (var d in InstructionSet.All)
        {
            Assert.True(InstructionSet.TryDecode(d.Match, out var decoded), d.Mnemonic);
            Assert.Equal(d.Mnemonic, decoded.Mnemonic);
        }
    }
}
