namespace VirtLab.Machine;

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
