namespace VirtLab.Machine;

/// <summary>
/// Field extraction for the RV32 base instruction formats (R, I, S, B, U, J), as drawn in the
/// RISC-V Unprivileged Specification, chapter 2, and the decoder that fills a
/// <see cref="DecodedInstruction"/> for the interpreter's fast path.
/// </summary>
internal static class Decoder
{
    // Major opcodes (bits 6:0).
    public const uint OpLoad = 0x03, OpMiscMem = 0x0F, OpImm = 0x13, OpAuipc = 0x17, OpStore = 0x23,
        OpReg = 0x33, OpLui = 0x37, OpBranch = 0x63, OpJalr = 0x67, OpJal = 0x6F, OpSystem = 0x73;

    public static uint Opcode(uint w) => w & 0x7F;
    public static int Rd(uint w) => (int)((w >> 7) & 31);
    public static int Rs1(uint w) => (int)((w >> 15) & 31);
    public static int Rs2(uint w) => (int)((w >> 20) & 31);
    public static uint Funct3(uint w) => (w >> 12) & 7;
    public static uint Funct7(uint w) => w >> 25;

    public static int ImmI(uint w) => (int)w >> 20;
    public static int ImmS(uint w) => ((int)w >> 25 << 5) | (int)((w >> 7) & 31);
    public static int ImmB(uint w) =>
        ((int)w >> 31 << 12) | (int)((w << 4) & 0x800) | (int)((w >> 20) & 0x7E0) | (int)((w >> 7) & 0x1E);
    public static int ImmU(uint w) => (int)(w & 0xFFFFF000);
    public static int ImmJ(uint w) =>
        ((int)w >> 31 << 20) | (int)(w & 0xFF000) | (int)((w >> 9) & 0x800) | (int)((w >> 20) & 0x7FE);

    /// <summary>Decodes <paramref name="w"/>, fetched from <paramref name="pc"/>, for the fast path.</summary>
    public static DecodedInstruction Decode(uint w, uint pc)
    {
        var d = new DecodedInstruction { Op = Op.Slow, Rd = Dest(Rd(w)), Rs1 = (byte)Rs1(w), Rs2 = (byte)Rs2(w) };
        uint f3 = Funct3(w), f7 = Funct7(w);
        switch (Opcode(w))
        {
            case OpLui: d.Op = Op.LoadConstant; d.Imm = ImmU(w); break;
            case OpAuipc: d.Op = Op.LoadConstant; d.Imm = (int)(pc + (uint)ImmU(w)); break;
            case OpJal:
            {
                uint target = pc + (uint)ImmJ(w);
                // A misaligned target must trap on the jal itself: leave it to the slow path.
                if ((target & 3) == 0) { d.Op = Op.Jal; d.Imm = (int)target; d.Link = pc + 4; }
                break;
            }
            case OpJalr:
                if (f3 == 0) { d.Op = Op.Jalr; d.Imm = ImmI(w); d.Link = pc + 4; }
                break;
            case OpBranch:
            {
                uint target = pc + (uint)ImmB(w);
                if ((target & 3) != 0) break;   // taken branch would trap: slow path decides
                d.Imm = (int)target;
                d.Op = f3 switch { 0 => Op.Beq, 1 => Op.Bne, 4 => Op.Blt, 5 => Op.Bge, 6 => Op.Bltu, 7 => Op.Bgeu, _ => Op.Slow };
                break;
            }
            case OpLoad:
                d.Imm = ImmI(w);
                d.Op = f3 switch { 0 => Op.Lb, 1 => Op.Lh, 2 => Op.Lw, 4 => Op.Lbu, 5 => Op.Lhu, _ => Op.Slow };
                break;
            case OpStore:
                d.Imm = ImmS(w);
                d.Op = f3 switch { 0 => Op.Sb, 1 => Op.Sh, 2 => Op.Sw, _ => Op.Slow };
                break;
            case OpImm:
                d.Imm = ImmI(w);
                d.Op = f3 switch
                {
                    0 => Op.Addi, 2 => Op.Slti, 3 => Op.Sltiu, 4 => Op.Xori, 6 => Op.Ori, 7 => Op.Andi,
                    // Shifts: shamt is 5 bits on RV32; any other funct7 (including shamt[5] set) is illegal.
                    1 when f7 == 0 => Op.Slli,
                    5 when f7 == 0 => Op.Srli,
                    5 when f7 == 0x20 => Op.Srai,
                    _ => Op.Slow,
                };
                if (d.Op is Op.Slli or Op.Srli or Op.Srai) d.Imm &= 31;
                break;
            case OpReg:
                d.Op = (f7, f3) switch
                {
                    (0, 0) => Op.Add, (0x20, 0) => Op.Sub, (0, 1) => Op.Sll, (0, 2) => Op.Slt, (0, 3) => Op.Sltu,
                    (0, 4) => Op.Xor, (0, 5) => Op.Srl, (0x20, 5) => Op.Sra, (0, 6) => Op.Or, (0, 7) => Op.And,
                    (1, 0) => Op.Mul, (1, 1) => Op.Mulh, (1, 2) => Op.Mulhsu, (1, 3) => Op.Mulhu,
                    (1, 4) => Op.Div, (1, 5) => Op.Divu, (1, 6) => Op.Rem, (1, 7) => Op.Remu,
                    _ => Op.Slow,
                };
                break;
            case OpMiscMem:
                // fence (funct3 0) is a no-op here; fence.i (funct3 1) must flush decoded code: slow path.
                if (f3 == 0) d.Op = Op.Fence;
                break;
        }
        return d;
    }

    private static byte Dest(int rd) => rd == 0 ? (byte)Hart.ZeroSink : (byte)rd;
}
