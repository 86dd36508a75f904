namespace VirtLab.Machine;

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
