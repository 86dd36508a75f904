namespace VirtLab.Machine;

/// <summary>
/// One of the six Zicsr instructions, decoded: which CSR, what it does to it, where the source
/// comes from and where the old value goes (RISC-V Unprivileged Specification, chapter 9). The
/// reference interpreter executes CSR instructions with it, and a hypervisor emulates a guest's
/// with it.
/// </summary>
/// <param name="Operation">Read-write, read-set or read-clear.</param>
/// <param name="Csr">The 12-bit CSR number (see <see cref="VirtLab.Machine.Csr"/> for the names).</param>
/// <param name="Rd">Register that receives the CSR's old value (x0: none).</param>
/// <param name="Rs1">The source register, or for the immediate forms the 5-bit value itself (<see cref="IsImmediate"/>).</param>
/// <param name="IsImmediate">True for <c>csrrwi</c>, <c>csrrsi</c>, <c>csrrci</c>: <paramref name="Rs1"/> is a zero-extended constant.</param>
public readonly record struct CsrInstruction(CsrOperation Operation, uint Csr, int Rd, int Rs1, bool IsImmediate)
{
    /// <summary>Decodes a SYSTEM-opcode word with a CSR funct3; false for any other word (including funct3 4, which is reserved).</summary>
    public static bool TryDecode(uint word, out CsrInstruction instruction)
    {
        uint f3 = InstructionEncoding.Funct3(word);
        if (InstructionEncoding.Opcode(word) != Opcodes.System || (f3 & 3) == 0)
        {
            instruction = default;
            return false;
        }
        instruction = new CsrInstruction((CsrOperation)(f3 & 3), (uint)InstructionEncoding.CsrNumber(word),
            InstructionEncoding.Rd(word), InstructionEncoding.Rs1(word), IsImmediate: f3 >= 4);
        return true;
    }

    /// <summary>
    /// Whether the instruction writes the CSR. A set or clear with nothing to set or clear (source
    /// x0, or immediate 0) does not, so it may read a read-only CSR without trapping; read-write always writes.
    /// </summary>
    public bool WritesCsr => Operation == CsrOperation.ReadWrite || Rs1 != 0;

    /// <summary>Whether the instruction reads the CSR. A read-write into x0 does not, so it causes no read side effects.</summary>
    public bool ReadsCsr => Operation != CsrOperation.ReadWrite || Rd != 0;

    /// <summary>The CSR's new value, from its old value and the source operand (the register's value, or the immediate).</summary>
    public uint NewValue(uint old, uint source) => Operation switch
    {
        CsrOperation.ReadWrite => source,
        CsrOperation.ReadSet => old | source,
        _ => old & ~source,
    };
}
