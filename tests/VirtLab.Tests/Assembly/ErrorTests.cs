using VirtLab.Assembly;

namespace VirtLab.Tests.Assembly;

/// <summary>Errors carry file, line and column, all of them are reported at once, and the assembler never throws.</summary>
public class ErrorTests
{
    private static AssemblyDiagnostic SingleError(string source)
    {
        var result = Assembler.Assemble(source, "prog.s");
        Assert.False(result.Success);
        Assert.Null(result.Program);
        return Assert.Single(result.Diagnostics);
    }

    [Theory]
    [InlineData("  ad a0, a1, a2", 1, 3, "unknown instruction 'ad'")]
    [InlineData("addi a0, a0, 5000", 1, 14, "immediate 5000 does not fit in 12 bits")]
    [InlineData("nop\n  j foo", 2, 5, "undefined symbol 'foo'")]
    [InlineData("beq a0, a1, far\n.space 4096\nfar: nop", 1, 13, "branch target out of range")]
    [InlineData("add x32, a0, a1", 1, 5, "expected register, got 'x32'")]
    [InlineData("slli a0, a0, 32", 1, 14, "immediate 32 does not fit in 5 bits (0..31)")]
    [InlineData("lui a0, 0x100000", 1, 9, "immediate 1048576 does not fit in 20 bits (0..0xfffff)")]
    [InlineData("csrw mfoo, a0", 1, 6, "unknown CSR 'mfoo'")]
    [InlineData("add a0, a1", 1, 1, "'add' expects 3 operands, got 2")]
    [InlineData("lw a0, a1", 1, 8, "expected a memory operand 'offset(register)', got 'a1'")]
    [InlineData(".option rvc", 1, 9, "compressed instructions are not supported ('.option rvc'); VirtLab implements RV32IM only")]
    [InlineData(".frobnicate 3", 1, 1, "unknown directive '.frobnicate'")]
    [InlineData("x: nop\nx: nop", 2, 1, "symbol 'x' is already defined (at line 1)")]
    [InlineData("j 1b", 1, 3, "undefined symbol '1b'")]
    [InlineData("li a0, 1/0", 1, 9, "division by zero")]
    [InlineData(".equ a, b\n.equ b, a\n.word a", 2, 9, "symbol 'a' is defined in terms of itself")]
    [InlineData("li a0, 0x100000000", 1, 8, "immediate 4294967296 does not fit in 32 bits")]
    [InlineData(".data\n.byte 256", 2, 7, "value 256 does not fit in 1 byte")]
    [InlineData("addi a0, a0, %hi(x)\nx:", 1, 14, "'%hi' cannot be used here")]
    [InlineData(".bss\n.word 1", 2, 1, "'.word' cannot put data in the zero-filled section .bss; use .space")]
    [InlineData("  nop ?", 1, 7, "unexpected character '?'")]
    public void ReportsPlainMessageWithPosition(string source, int line, int column, string message)
    {
        var error = SingleError(source);
        Assert.Equal(("prog.s", line, column, message), (error.File, error.Line, error.Column, error.Message));
    }

    [Fact]
    public void FormatsLikeACompiler() =>
        Assert.Equal("prog.s:1:3: error: unknown instruction 'ad'", SingleError("  ad a0, a1, a2").ToString());

    [Fact]
    public void ReportsAllErrorsAtOnceInSourceOrder()
    {
        const string source = """
            _start:
                ad   a0, a1, a2
                addi a0, a0, 5000
                j    foo
                add  x32, a0, a1
                beq  a0, a1, far
                .space 8192
            far:
                ret
            """;
        var result = Assembler.Assemble(source, "many.s");
        Assert.False(result.Success);
        Assert.Equal(
        [
            "many.s:2:5: error: unknown instruction 'ad'",
            "many.s:3:18: error: immediate 5000 does not fit in 12 bits",
            "many.s:4:10: error: undefined symbol 'foo'",
            "many.s:5:10: error: expected register, got 'x32'",
            "many.s:6:18: error: branch target out of range",
        ], result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void AnErrorDoesNotShiftLaterAddresses()
    {
        // The bad li still takes its place, so "after" keeps the address it would have had.
        var result = Assembler.Assemble("li a0, 1/0\nafter: j after\n.word after");
        Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void NeverThrowsOnRandomGarbage()
    {
        var random = new Random(12345);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 ,()%:;#/*'\"\\.-+<>&|^~!=\n\t$@_xX[]{}?\r\0é";
        string[] fragments =
        [
            "addi", "a0", ",", "(", ")", "%hi(", "%pcrel_lo(", "1f", "1b", "1:", ".word", ".align", ".space", "li", "la",
            "0x", "0b", "'", "\"", ".section", ".equ", "=", "<<", ">>", "-", "~", "csrw", "mstatus", "\n", ";", "/*", "*/",
            ".balign", ".fill", "call", "beqz", "99999999999999999999", "0xffffffffffffffffff", ".asciz", "\\x", "x32", ".",
        ];
        for (int i = 0; i < 3000; i++)
        {
            var text = new System.Text.StringBuilder();
            int length = random.Next(1, 80);
            for (int j = 0; j < length; j++)
            {
                if (random.Next(2) == 0) text.Append(alphabet[random.Next(alphabet.Length)]);
                else text.Append(fragments[random.Next(fragments.Length)]).Append(' ');
            }
            var result = Assembler.Assemble(text.ToString(), "fuzz.s");
            Assert.DoesNotContain(result.Diagnostics, d => d.Message.StartsWith("internal assembler error", StringComparison.Ordinal));
            Assert.Equal(result.Success, result.Program is not null);
            Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1));
        }
    }

    [Fact]
    public void DeepNestingIsAnErrorNotACrash()
    {
        var result = Assembler.Assemble("li a0, " + new string('(', 100_000) + "1" + new string(')', 100_000));
        Assert.False(result.Success);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("nested too deeply", StringComparison.Ordinal));

        var chain = string.Join("\n", Enumerable.Range(0, 1000).Select(i => $".equ s{i}, s{i + 1} + 1")) + "\n.equ s1000, 0\n.word s0";
        var chained = Assembler.Assemble(".data\n" + chain);
        Assert.False(chained.Success);

        var longSum = Assembler.Assemble("li a0, " + string.Join("+", Enumerable.Repeat("1", 200_000)));
        Assert.False(longSum.Success);

        var wide = string.Join("\n", Enumerable.Range(0, 99).Select(i => $".equ w{i}, w{i + 1}+" + string.Join("+", Enumerable.Repeat("1", 500))));
        var wideResult = Assembler.Assemble(".data\n" + wide + "\n.equ w99, 0\n.word w0");
        Assert.False(wideResult.Success);
    }
}
