namespace VirtLab.Machine;

/// <summary>
/// Where each field sits in a 32-bit RV32 instruction word, as drawn in the RISC-V Unprivileged
/// Specification, chapter 2: unpacking fields from a word (for the decoder, the reference
/// interpreter, the disassembler and the hypervisor) and packing them into one (for the assembler),
/// one method per base format (R, I, S, B, U, J).
/// </summary>
/// <remarks>
/// RISC-V keeps the register fields in the same place in every format (rd in 11:7, rs1 in 19:15,
/// rs2 in 24:20) and the sign bit of every immediate in bit 31. The price is that the S, B and J
/// immediates are scrambled across the word; the methods below do the scrambling.
/// </remarks>
public static class InstructionEncoding
{
    /// <summary>Bits 6:0, the major opcode (see <see cref="Opcodes"/>).</summary>
    public static uint Opcode(uint word) => word & 0x7F;
    /// <summary>Bits 11:7, the destination register.</summary>
    public static int Rd(uint word) => (int)((word >> 7) & 0x1F);
    /// <summary>Bits 14:12.</summary>
    public static uint Funct3(uint word) => (word >> 12) & 0b111;
    /// <summary>Bits 19:15, the first source register (or a 5-bit immediate in CSR instructions).</summary>
    public static int Rs1(uint word) => (int)((word >> 15) & 0x1F);
    /// <summary>Bits 24:20, the second source register (or a shift amount).</summary>
    public static int Rs2(uint word) => (int)((word >> 20) & 0x1F);
    /// <summary>Bits 31:25 (R-type and shifts by a constant).</summary>
    public static uint Funct7(uint word) => word >> 25;

    /// <summary>The sign-extended I-type immediate, bits 31:20.</summary>
    public static int ImmI(uint word) => (int)word >> 20;

    /// <summary>The unsigned 12-bit CSR number, bits 31:20 (also the funct12 field that tells <c>ecall</c>, <c>ebreak</c>, <c>mret</c> and <c>wfi</c> apart).</summary>
    public static int CsrNumber(uint word) => (int)(word >> 20);

    /// <summary>The sign-extended S-type immediate: bits 31:25 and 11:7.</summary>
    public static int ImmS(uint word) => ((int)word >> 25 << 5) | (int)((word >> 7) & 0x1F);

    /// <summary>The sign-extended B-type offset: imm[12|10:5] in 31:25, imm[4:1|11] in 11:7.</summary>
    public static int ImmB(uint word) =>
        ((int)word >> 31 << 12) | (int)((word << 4) & 0x800) | (int)((word >> 20) & 0x7E0) | (int)((word >> 7) & 0x1E);

    /// <summary>The 20-bit U-type immediate (bits 31:12) as written in assembly, not shifted.</summary>
    public static uint ImmU(uint word) => word >> 12;

    /// <summary>The value <c>lui</c> writes: the U-type immediate in bits 31:12, zeros below.</summary>
    public static int UpperImmediate(uint word) => (int)(word & 0xFFFF_F000);

    /// <summary>The sign-extended J-type offset: imm[20|10:1|11|19:12] in bits 31:12.</summary>
    public static int ImmJ(uint word) =>
        ((int)word >> 31 << 20) | (int)(word & 0xF_F000) | (int)((word >> 9) & 0x800) | (int)((word >> 20) & 0x7FE);

    /// <summary>The predecessor set of a fence, bits 27:24 (i, o, r, w from bit 3 down).</summary>
    public static uint FencePredecessor(uint word) => (word >> 24) & 0xF;
    /// <summary>The successor set of a fence, bits 23:20.</summary>
    public static uint FenceSuccessor(uint word) => (word >> 20) & 0xF;
    /// <summary>The fence mode, bits 31:28: 0 for a normal fence, 0b1000 for <c>fence.tso</c>.</summary>
    public static uint FenceMode(uint word) => word >> 28;

    /// <summary>R-type: funct7 | rs2 | rs1 | funct3 | rd | opcode.</summary>
    public static uint EncodeR(InstructionDefinition d, int rd, int rs1, int rs2) =>
        d.Match | Reg(rd) << 7 | Reg(rs1) << 15 | Reg(rs2) << 20;

    /// <summary>I-type: imm[11:0] | rs1 | funct3 | rd | opcode. Also used for shifts (funct7 is in <see cref="InstructionDefinition.Match"/>).</summary>
    public static uint EncodeI(InstructionDefinition d, int rd, int rs1, int imm12) =>
        d.Match | Reg(rd) << 7 | Reg(rs1) << 15 | ((uint)imm12 & 0xFFF) << 20;

    /// <summary>S-type: imm[11:5] | rs2 | rs1 | funct3 | imm[4:0] | opcode.</summary>
    public static uint EncodeS(InstructionDefinition d, int rs1, int rs2, int imm12)
    {
        uint imm = (uint)imm12;
        return d.Match | (imm & 0x1F) << 7 | Reg(rs1) << 15 | Reg(rs2) << 20 | ((imm >> 5) & 0x7F) << 25;
    }

    /// <summary>B-type: the 13-bit even offset scattered as imm[12|10:5] | rs2 | rs1 | funct3 | imm[4:1|11] | opcode.</summary>
    public static uint EncodeB(InstructionDefinition d, int rs1, int rs2, int offset)
    {
        uint imm = (uint)offset;
        return d.Match
            | ((imm >> 11) & 1) << 7
            | ((imm >> 1) & 0xF) << 8
            | Reg(rs1) << 15
            | Reg(rs2) << 20
            | ((imm >> 5) & 0x3F) << 25
            | ((imm >> 12) & 1) << 31;
    }

    /// <summary>U-type: imm[31:12] | rd | opcode, with <paramref name="imm20"/> the upper 20 bits.</summary>
    public static uint EncodeU(InstructionDefinition d, int rd, uint imm20) =>
        d.Match | Reg(rd) << 7 | (imm20 & 0xF_FFFF) << 12;

    /// <summary>J-type: the 21-bit even offset scattered as imm[20|10:1|11|19:12] | rd | opcode.</summary>
    public static uint EncodeJ(InstructionDefinition d, int rd, int offset)
    {
        uint imm = (uint)offset;
        return d.Match
            | Reg(rd) << 7
            | ((imm >> 12) & 0xFF) << 12
            | ((imm >> 11) & 1) << 20
            | ((imm >> 1) & 0x3FF) << 21
            | ((imm >> 20) & 1) << 31;
    }

    /// <summary>The fence word: fm=0 | pred | succ | rs1=0 | funct3 | rd=0 | opcode.</summary>
    public static uint EncodeFence(InstructionDefinition d, uint predecessor, uint successor) =>
        d.Match | (predecessor & 0xF) << 24 | (successor & 0xF) << 20;

    /// <summary>True if <paramref name="value"/> fits in a <paramref name="bits"/>-bit two's complement field.</summary>
    public static bool FitsSigned(long value, int bits) =>
        value >= -(1L << (bits - 1)) && value < (1L << (bits - 1));

    /// <summary>True if <paramref name="value"/> fits in a <paramref name="bits"/>-bit unsigned field.</summary>
    public static bool FitsUnsigned(long value, int bits) => value >= 0 && value < (1L << bits);

    private static uint Reg(int register) => (uint)register & 0x1F;
}
