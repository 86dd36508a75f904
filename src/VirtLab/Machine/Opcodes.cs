namespace VirtLab.Machine;

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
