using static VirtLab.Machine.InstructionEncoding;

namespace VirtLab.Machine;

/// <summary>
/// The decoder of the interpreter's fast path: looks an instruction word up in the instruction
/// table (<see cref="InstructionSet"/>) and fills a <see cref="DecodedInstruction"/> with its
/// operation and operands, working out in advance what can be (absolute branch targets, link
/// addresses, the value of <c>auipc</c>). Words the fast path does not execute decode to
/// <see cref="Op.Slow"/>.
/// </summary>
internal static class Decoder
{
    /// <summary>
    /// The fast path's operation for each row of the instruction table. The ops are named after
    /// the mnemonics they carry out (<see cref="Op.Addi"/> is <c>addi</c>); <c>lui</c> and <c>auipc</c>
    /// both load a constant that is known at decode time, and <c>fence.tso</c> orders memory as
    /// <c>fence</c> does. Everything else (CSR access, ecall, mret, wfi, fence.i) is for the slow path.
    /// </summary>
    private static readonly Op[] FastOps = [.. InstructionSet.All.Select(d => d.Mnemonic switch
    {
        "lui" or "auipc" => Op.LoadConstant,
        "fence.tso" => Op.Fence,
        _ => Enum.TryParse(d.Mnemonic, ignoreCase: true, out Op op) && op > Op.Slow ? op : Op.Slow,
    })];

    /// <summary>Decodes <paramref name="w"/>, fetched from <paramref name="pc"/>, for the fast path.</summary>
    public static DecodedInstruction Decode(uint w, uint pc)
    {
        var d = new DecodedInstruction { Op = Op.Slow, Rd = Dest(Rd(w)), Rs1 = (byte)Rs1(w), Rs2 = (byte)Rs2(w) };
        int row = InstructionSet.RowOf(w);
        if (row < 0) return d;
        var definition = InstructionSet.All[row];
        switch (definition.Format)
        {
            case InstructionFormat.U:
                d.Imm = definition.Opcode == Opcodes.Auipc ? (int)(pc + (uint)UpperImmediate(w)) : UpperImmediate(w);
                break;
            case InstructionFormat.J:
            {
                uint target = pc + (uint)ImmJ(w);
                // A misaligned target must trap on the jal itself: leave it to the slow path.
                if ((target & 3) != 0) return d;
                d.Imm = (int)target;
                d.Link = pc + 4;
                break;
            }
            case InstructionFormat.B:
            {
                uint target = pc + (uint)ImmB(w);
                if ((target & 3) != 0) return d;   // taken branch would trap: slow path decides
                d.Imm = (int)target;
                break;
            }
            case InstructionFormat.Jalr:
                d.Imm = ImmI(w);
                d.Link = pc + 4;
                break;
            case InstructionFormat.I or InstructionFormat.Load:
                d.Imm = ImmI(w);
                break;
            case InstructionFormat.Shift:
                d.Imm = Rs2(w);   // the 5-bit shift amount sits in the rs2 field
                break;
            case InstructionFormat.S:
                d.Imm = ImmS(w);
                break;
        }
        d.Op = FastOps[row];
        return d;
    }

    private static byte Dest(int rd) => rd == 0 ? (byte)Hart.ZeroSink : (byte)rd;
}
