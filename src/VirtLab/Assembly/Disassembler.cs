using System.Globalization;
using VirtLab.Machine;
using static VirtLab.Machine.InstructionEncoding;

namespace VirtLab.Assembly;

/// <summary>Whether the disassembler prefers pseudo-instructions (<c>li</c>, <c>ret</c>...) or the real instruction.</summary>
public enum DisassemblyStyle
{
    /// <summary>Like <c>objdump -d</c>: <c>addi a0, zero, 5</c> prints as <c>li a0, 5</c>.</summary>
    Pseudo,
    /// <summary>Like <c>objdump -d -M no-aliases</c>: every instruction under its own name.</summary>
    Canonical,
}

/// <summary>
/// Turns instruction words back into assembly text that <see cref="Assembler"/> accepts again.
/// </summary>
/// <remarks>
/// Registers are printed with ABI names, immediates in decimal, upper immediates in hex, and branch
/// and jump targets as absolute addresses (which is why the instruction's own address <c>pc</c> is needed).
/// Assembling the text at the same address gives back the same word.
/// The output is checked against GNU objdump; the few places where it differs on purpose (it says
/// <c>addi</c> where objdump says <c>add a0,a0,1</c>, for instance) are listed with their reasons in
/// the test project's <c>ObjdumpDifferentialTests</c>.
/// </remarks>
public static class Disassembler
{
    /// <summary>Disassembles one word, using pseudo-instructions where objdump would.</summary>
    /// <param name="word">The instruction.</param>
    /// <param name="pc">Its address, used to print branch and jump targets.</param>
    /// <returns>Text such as <c>"addi a0, a0, 1"</c>, or <c>".word 0x0000007f"</c> if the word is not an instruction.</returns>
    public static string Disassemble(uint word, uint pc = 0) => Disassemble(word, pc, DisassemblyStyle.Pseudo);

    /// <summary>Disassembles one word in the given style.</summary>
    public static string Disassemble(uint word, uint pc, DisassemblyStyle style)
    {
        if (!InstructionSet.TryDecode(word, out var d))
            return $".word 0x{word:x8}";

        bool pseudo = style == DisassemblyStyle.Pseudo;
        string m = d.Mnemonic;
        int rd = Rd(word), rs1 = Rs1(word), rs2 = Rs2(word);
        string Rd_ = Reg(rd), Rs1_ = Reg(rs1), Rs2_ = Reg(rs2);

        switch (d.Format)
        {
            case InstructionFormat.R:
                if (pseudo && m == "sub" && rs1 == 0) return $"neg {Rd_}, {Rs2_}";
                if (pseudo && m == "sltu" && rs1 == 0) return $"snez {Rd_}, {Rs2_}";
                if (pseudo && m == "slt" && rs2 == 0) return $"sltz {Rd_}, {Rs1_}";
                if (pseudo && m == "slt" && rs1 == 0) return $"sgtz {Rd_}, {Rs2_}";
                return $"{m} {Rd_}, {Rs1_}, {Rs2_}";

            case InstructionFormat.I:
            {
                int imm = ImmI(word);
                if (pseudo && m == "addi")
                {
                    if (rd == 0 && rs1 == 0 && imm == 0) return "nop";
                    if (rs1 == 0) return $"li {Rd_}, {Dec(imm)}";
                    if (imm == 0) return $"mv {Rd_}, {Rs1_}";
                }
                if (pseudo && m == "xori" && imm == -1) return $"not {Rd_}, {Rs1_}";
                if (pseudo && m == "sltiu" && imm == 1) return $"seqz {Rd_}, {Rs1_}";
                return $"{m} {Rd_}, {Rs1_}, {Dec(imm)}";
            }

            case InstructionFormat.Shift:
                return $"{m} {Rd_}, {Rs1_}, {rs2}";

            case InstructionFormat.Load:
                return $"{m} {Rd_}, {Dec(ImmI(word))}({Rs1_})";

            case InstructionFormat.S:
                return $"{m} {Rs2_}, {Dec(ImmS(word))}({Rs1_})";

            case InstructionFormat.B:
            {
                string target = Address(pc + (uint)ImmB(word));
                // bge zero, zero could be either blez zero or bgez zero; objdump tries blez first.
                if (pseudo && m == "bge" && rs1 == 0) return $"blez {Rs2_}, {target}";
                if (pseudo && rs2 == 0)
                {
                    switch (m)
                    {
                        case "beq": return $"beqz {Rs1_}, {target}";
                        case "bne": return $"bnez {Rs1_}, {target}";
                        case "blt": return $"bltz {Rs1_}, {target}";
                        case "bge": return $"bgez {Rs1_}, {target}";
                    }
                }
                if (pseudo && m == "blt" && rs1 == 0) return $"bgtz {Rs2_}, {target}";
                return $"{m} {Rs1_}, {Rs2_}, {target}";
            }

            case InstructionFormat.U:
                return $"{m} {Rd_}, 0x{ImmU(word):x}";

            case InstructionFormat.J:
            {
                string target = Address(pc + (uint)ImmJ(word));
                if (pseudo && rd == 0) return $"j {target}";
                if (pseudo && rd == 1) return $"jal {target}";
                return $"jal {Rd_}, {target}";
            }

            case InstructionFormat.Jalr:
            {
                int imm = ImmI(word);
                if (pseudo && rd == 0 && rs1 == 1 && imm == 0) return "ret";
                if (pseudo && (rd == 0 || rd == 1))
                {
                    // jr/jalr jump through a register; the link register is implied (none, or ra).
                    string through = imm == 0 ? Rs1_ : $"{Dec(imm)}({Rs1_})";
                    return rd == 0 ? $"jr {through}" : $"jalr {through}";
                }
                return $"jalr {Rd_}, {Dec(imm)}({Rs1_})";
            }

            case InstructionFormat.Csr:
            {
                int csr = CsrNumber(word);
                string csrName = CsrNames.NameOrNumber(csr);
                if (pseudo && m == "csrrs" && rs1 == 0)
                {
                    string? counter = CounterReadPseudo(csr);
                    return counter is null ? $"csrr {Rd_}, {csrName}" : $"{counter} {Rd_}";
                }
                if (pseudo && rd == 0)
                {
                    switch (m)
                    {
                        case "csrrw": return $"csrw {csrName}, {Rs1_}";
                        case "csrrs": return $"csrs {csrName}, {Rs1_}";
                        case "csrrc": return $"csrc {csrName}, {Rs1_}";
                    }
                }
                return $"{m} {Rd_}, {csrName}, {Rs1_}";
            }

            case InstructionFormat.CsrImmediate:
            {
                string csrName = CsrNames.NameOrNumber(CsrNumber(word));
                if (pseudo && rd == 0)
                    return $"csr{m[4..]} {csrName}, {rs1}"; // csrrwi -> csrwi, csrrsi -> csrsi, csrrci -> csrci
                return $"{m} {Rd_}, {csrName}, {rs1}";
            }

            case InstructionFormat.Fence:
            {
                uint predecessor = FencePredecessor(word), successor = FenceSuccessor(word);
                if (pseudo && predecessor == 0xF && successor == 0xF) return "fence";
                return $"fence {FenceSet(predecessor)}, {FenceSet(successor)}";
            }

            default:
                return m;
        }
    }

    /// <summary>The names of the memory-ordering sets of a fence: bits 3..0 stand for device input, device output, memory reads, memory writes.</summary>
    public static string FenceSet(uint bits)
    {
        if (bits == 0) return "0";
        var text = new System.Text.StringBuilder(4);
        if ((bits & 0b1000) != 0) text.Append('i');
        if ((bits & 0b0100) != 0) text.Append('o');
        if ((bits & 0b0010) != 0) text.Append('r');
        if ((bits & 0b0001) != 0) text.Append('w');
        return text.ToString();
    }

    /// <summary>The rdcycle-style pseudo-instruction that reads a user counter CSR, if there is one.</summary>
    internal static string? CounterReadPseudo(int csr) => csr switch
    {
        Csr.Cycle => "rdcycle",
        Csr.Time => "rdtime",
        Csr.Instret => "rdinstret",
        Csr.CycleH => "rdcycleh",
        Csr.TimeH => "rdtimeh",
        Csr.InstretH => "rdinstreth",
        _ => null,
    };

    private static string Reg(int number) => RegisterNames.AbiName(number);
    private static string Dec(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Address(uint address) => $"0x{address:x}";
}
