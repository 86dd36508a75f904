namespace VirtLab.Assembly;

/// <summary>
/// The major opcodes of RV32I: bits 6:0 of every 32-bit instruction (the "RV32/64G opcode map" of the spec).
/// </summary>
/// <remarks>The low two bits are always <c>11</c> for 32-bit instructions; 16-bit compressed ones use the others.</remarks>
public static class Opcodes
{
    public const uint Load = 0b000_0011;
    public const uint MiscMem = 0b000_1111;
    public const uint OpImm = 0b001_0011;
    public const uint Auipc = 0b001_0111;
    public const uint Store = 0b010_0011;
    public const uint Op = 0b011_0011;
    public const uint Lui = 0b011_0111;
    public const uint Branch = 0b110_0011;
    public const uint Jalr = 0b110_0111;
    public const uint Jal = 0b110_1111;
    public const uint System = 0b111_0011;
}

/// <summary>
/// How an instruction's fields are laid out in its 32-bit word, and which operands it takes in assembly.
/// </summary>
/// <remarks>
/// The spec has six base formats: R (three registers), I (12-bit immediate), S (stores), B (branches),
/// U (20-bit upper immediate) and J (jumps). Several instructions share a bit layout but are written
/// differently in assembly (a load is I-type but written <c>lw rd, offset(rs1)</c>), so this enumeration
/// distinguishes them.
/// </remarks>
public enum InstructionFormat
{
    /// <summary>R-type: <c>op rd, rs1, rs2</c>.</summary>
    R,
    /// <summary>I-type arithmetic: <c>op rd, rs1, imm12</c>.</summary>
    I,
    /// <summary>I-type shift by constant: <c>op rd, rs1, shamt</c>, funct7 in bits 31:25, 5-bit shift amount in the rs2 field.</summary>
    Shift,
    /// <summary>I-type load: <c>op rd, offset(rs1)</c>.</summary>
    Load,
    /// <summary>S-type store: <c>op rs2, offset(rs1)</c>.</summary>
    S,
    /// <summary>B-type conditional branch: <c>op rs1, rs2, target</c>; the offset is a multiple of 2 in ±4 KiB.</summary>
    B,
    /// <summary>U-type: <c>op rd, imm20</c>; the immediate fills bits 31:12 of the result.</summary>
    U,
    /// <summary>J-type jump: <c>jal rd, target</c>; the offset is a multiple of 2 in ±1 MiB.</summary>
    J,
    /// <summary>I-type indirect jump: <c>jalr rd, offset(rs1)</c>.</summary>
    Jalr,
    /// <summary>CSR access with a register source: <c>op rd, csr, rs1</c>; the CSR number is the I immediate.</summary>
    Csr,
    /// <summary>CSR access with a 5-bit zero-extended immediate in the rs1 field: <c>op rd, csr, uimm5</c>.</summary>
    CsrImmediate,
    /// <summary>Memory fence: <c>fence pred, succ</c> with sets drawn from <c>i o r w</c>.</summary>
    Fence,
    /// <summary>An instruction with no operands whose whole word is fixed (<c>ecall</c>, <c>mret</c>, <c>fence.i</c>...).</summary>
    Fixed,
}

/// <summary>One row of the instruction table: a mnemonic and the fixed bits that identify it.</summary>
/// <param name="Mnemonic">The assembly name, e.g. <c>"addi"</c>.</param>
/// <param name="Format">Field layout and operand syntax.</param>
/// <param name="Opcode">Bits 6:0.</param>
/// <param name="Funct3">Bits 14:12 (unused by U and J).</param>
/// <param name="Funct7">Bits 31:25 (R and Shift formats only).</param>
/// <param name="FixedWord">The complete word for <see cref="InstructionFormat.Fixed"/> instructions.</param>
/// <param name="Extension">The ISA extension that defines it: I, M, Zicsr or Zifencei (privileged ones say Priv).</param>
public sealed record InstructionDefinition(
    string Mnemonic, InstructionFormat Format, uint Opcode, uint Funct3, uint Funct7, uint FixedWord, string Extension)
{
    /// <summary>The bits of <see cref="Match"/> that identify the instruction.</summary>
    public uint Mask => Format switch
    {
        InstructionFormat.R or InstructionFormat.Shift => 0xFE00_707F,
        InstructionFormat.U or InstructionFormat.J => 0x0000_007F,
        InstructionFormat.Fixed => 0xFFFF_FFFF,
        _ => 0x0000_707F,
    };

    /// <summary>The word with every operand field zero: <c>(word &amp; Mask) == Match</c> identifies the instruction.</summary>
    public uint Match => Format switch
    {
        InstructionFormat.Fixed => FixedWord,
        InstructionFormat.R or InstructionFormat.Shift => Opcode | Funct3 << 12 | Funct7 << 25,
        InstructionFormat.U or InstructionFormat.J => Opcode,
        _ => Opcode | Funct3 << 12,
    };
}
