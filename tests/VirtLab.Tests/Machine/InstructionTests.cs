namespace VirtLab.Tests.Machine;

/// <summary>
/// One test per RV32I / M / Zicsr / Zifencei instruction, with expected values worked out from the
/// RISC-V Unprivileged Specification (not from VirtLab's code). Each case runs in every
/// <see cref="ExecMode"/>: in the middle of a straight-line block (fast path), as the first
/// instruction of a one-instruction block, and on the reference interpreter (slow path).
/// Each case leaves its result in a0 (and sometimes a1).
/// </summary>
public class InstructionTests
{
    public static TheoryData<string, string, uint> Cases()
    {
        var d = new TheoryData<string, string, uint>();
        void C(string name, string body, uint a0) => d.Add(name, body, a0);

        // ---- RV32I: upper immediates (lui/auipc) ----
        C("lui", "lui a0, 0xfffff", 0xFFFF_F000);
        C("lui low bits zero", "li a0, -1; lui a0, 0x12345", 0x1234_5000);
        C("auipc", "auipc a0, 0; la a1, _start; sub a0, a0, a1", 0);   // auipc is the first instruction: pc = _start
        C("auipc imm", "auipc a0, 0x1; auipc a1, 0; sub a0, a0, a1", 0x1000 - 4);
        C("auipc wraps", "nop; auipc a0, 0x80000; la a1, _start; sub a0, a0, a1", 0x8000_0004);

        // ---- register-immediate ----
        C("addi", "li a1, 5; addi a0, a1, -7", unchecked((uint)-2));
        C("addi overflow wraps", "li a1, 0x7fffffff; addi a0, a1, 1", 0x8000_0000);
        C("addi to x0 is discarded", "addi x0, x0, 5; mv a0, x0", 0);
        C("slti signed true", "li a1, -1; slti a0, a1, 0", 1);
        C("slti signed false", "li a1, 1; slti a0, a1, -1", 0);
        C("sltiu sign-extended imm", "li a1, 5; sltiu a0, a1, -1", 1);   // -1 becomes 0xffffffff, unsigned
        C("sltiu seqz", "li a1, 0; sltiu a0, a1, 1", 1);
        C("xori", "li a1, 0x0f0f; xori a0, a1, -1", 0xFFFF_F0F0);
        C("ori", "li a1, 0x100; ori a0, a1, 0x0ff", 0x1FF);
        C("andi sign-extended", "li a1, 0x12345678; andi a0, a1, -16", 0x1234_5670);
        C("slli", "li a1, 3; slli a0, a1, 31", 0x8000_0000);
        C("srli", "li a1, 0x80000000; srli a0, a1, 31", 1);
        C("srai", "li a1, 0x80000000; srai a0, a1, 31", 0xFFFF_FFFF);
        C("srai by 0", "li a1, 0x80000001; srai a0, a1, 0", 0x8000_0001);

        // ---- register-register ----
        C("add", "li a1, 5; li a2, 7; add a0, a1, a2", 12);
        C("add wraps", "li a1, -1; li a2, 2; add a0, a1, a2", 1);
        C("sub", "li a1, 5; li a2, 7; sub a0, a1, a2", unchecked((uint)-2));
        C("sll uses low 5 bits", "li a1, 1; li a2, 33; sll a0, a1, a2", 2);
        C("srl uses low 5 bits", "li a1, 0x80000000; li a2, -1; srl a0, a1, a2", 1);   // shamt 31
        C("sra uses low 5 bits", "li a1, 0x80000000; li a2, 0x3f; sra a0, a1, a2", 0xFFFF_FFFF);
        C("sra by 32 is by 0", "li a1, 0x80000000; li a2, 32; sra a0, a1, a2", 0x8000_0000);
        C("slt signed", "li a1, -1; li a2, 1; slt a0, a1, a2", 1);
        C("slt signed false", "li a1, 1; li a2, -1; slt a0, a1, a2", 0);
        C("sltu unsigned", "li a1, -1; li a2, 1; sltu a0, a1, a2", 0);
        C("sltu snez idiom", "li a2, 7; sltu a0, x0, a2", 1);
        C("xor", "li a1, 0xff00ff00; li a2, 0x0ff00ff0; xor a0, a1, a2", 0xF0F0_F0F0);
        C("or", "li a1, 0xff00ff00; li a2, 0x0ff00ff0; or a0, a1, a2", 0xFFF0_FFF0);
        C("and", "li a1, 0xff00ff00; li a2, 0x0ff00ff0; and a0, a1, a2", 0x0F00_0F00);
        C("x0 as rd of add", "li a1, 5; add x0, a1, a1; add a0, x0, x0", 0);
        C("x0 as source reads 0", "li a0, 9; add a0, a0, x0", 9);
        C("rd = rs1 = rs2", "li a0, 21; add a0, a0, a0", 42);

        // ---- loads: sign and zero extension ----
        const string data = ".data\nv: .word 0x80ff7f01\n.text\n";
        C("lb sign-extends", data + "la a1, v; lb a0, 2(a1)", 0xFFFF_FFFF);
        C("lb positive", data + "la a1, v; lb a0, 0(a1)", 0x01);
        C("lbu zero-extends", data + "la a1, v; lbu a0, 3(a1)", 0x80);
        C("lh sign-extends", data + "la a1, v; lh a0, 2(a1)", 0xFFFF_80FF);
        C("lhu zero-extends", data + "la a1, v; lhu a0, 2(a1)", 0x80FF);
        C("lw", data + "la a1, v; lw a0, 0(a1)", 0x80FF_7F01);
        C("load negative offset", data + "la a1, v; addi a1, a1, 4; lw a0, -4(a1)", 0x80FF_7F01);
        C("load into x0 is discarded", data + "la a1, v; lw x0, 0(a1); mv a0, x0", 0);

        // ---- stores ----
        const string buf = ".data\nb: .word 0x11111111, 0\n.text\nla a1, b\n";
        C("sb", buf + "li a2, 0xabcdef99; sb a2, 2(a1); lw a0, 0(a1)", 0x1199_1111);
        C("sh", buf + "li a2, 0xabcd8765; sh a2, 2(a1); lw a0, 0(a1)", 0x8765_1111);
        C("sw", buf + "li a2, 0xdeadbeef; sw a2, 4(a1); lw a0, 4(a1)", 0xDEAD_BEEF);
        C("store negative offset", buf + "addi a1, a1, 8; li a2, 5; sw a2, -8(a1); lw a0, -8(a1)", 5);

        // ---- jumps: link values, jalr clears bit 0 ----
        C("jal links pc+4", "jal a1, 1f; 1: auipc a2, 0; sub a0, a2, a1", 0);
        C("jal skips", "li a0, 1; jal x0, 1f; li a0, 2; 1: nop", 1);
        C("jal x0 does not link", "jal x0, 1f; 1: mv a0, x0", 0);
        C("jalr links pc+4", "la a2, 1f; jalr a1, 0(a2); 1: auipc a3, 0; sub a0, a3, a1", 0);
        C("jalr clears bit 0", "la a2, 1f; addi a2, a2, 1; li a0, 7; jalr x0, 0(a2); li a0, 8; 1: nop", 7);
        C("jalr offset", "la a2, 1f; addi a2, a2, -4; li a0, 7; jalr x0, 4(a2); li a0, 8; 1: nop", 7);
        C("jalr rd = rs1 uses old rs1", "la a1, 1f; jalr a1, 0(a1); li a0, 99; 1: la a2, 1b; sub a0, a2, a1", 4);

        // ---- branches both ways ----
        foreach (var (op, x, y, taken) in new (string, int, int, bool)[]
        {
            ("beq", 5, 5, true), ("beq", 5, 6, false), ("bne", 5, 6, true), ("bne", 5, 5, false),
            ("blt", -1, 1, true), ("blt", 1, -1, false), ("blt", 3, 3, false),
            ("bge", 1, -1, true), ("bge", 3, 3, true), ("bge", -1, 1, false),
            ("bltu", 1, -1, true), ("bltu", -1, 1, false), ("bltu", 3, 3, false),
            ("bgeu", -1, 1, true), ("bgeu", 3, 3, true), ("bgeu", 1, -1, false),
        })
            C($"{op} {x},{y} {(taken ? "taken" : "not taken")}",
              $"li a1, {x}; li a2, {y}; li a0, 1; {op} a1, a2, 1f; li a0, 0; 1: nop", taken ? 1u : 0u);
        C("backward branch loop", "li a0, 0; li a1, 10; 1: addi a0, a0, 3; addi a1, a1, -1; bnez a1, 1b", 30);

        // ---- M extension ----
        C("mul", "li a1, -3; li a2, 7; mul a0, a1, a2", unchecked((uint)-21));
        C("mul low bits", "li a1, 0x12345678; li a2, 0x9abcdef0; mul a0, a1, a2", unchecked((uint)(0x12345678UL * 0x9abcdef0UL)));
        C("mulh", "li a1, -2; li a2, 0x7fffffff; mulh a0, a1, a2", 0xFFFF_FFFF);
        C("mulh min*min", "li a1, 0x80000000; mulh a0, a1, a1", 0x4000_0000);
        C("mulhu", "li a1, -1; li a2, -1; mulhu a0, a1, a2", 0xFFFF_FFFE);
        C("mulhsu neg*big", "li a1, -1; li a2, -1; mulhsu a0, a1, a2", 0xFFFF_FFFF);   // -1 * 0xffffffff = -0xffffffff
        C("mulhsu pos*big", "li a1, 2; li a2, 0x80000000; mulhsu a0, a1, a2", 1);
        C("div", "li a1, -7; li a2, 2; div a0, a1, a2", unchecked((uint)-3));   // rounds toward zero
        C("div by zero", "li a1, 5; div a0, a1, zero", 0xFFFF_FFFF);
        C("div overflow", "li a1, 0x80000000; li a2, -1; div a0, a1, a2", 0x8000_0000);
        C("divu", "li a1, -7; li a2, 2; divu a0, a1, a2", 0x7FFF_FFFC);
        C("divu by zero", "li a1, 5; divu a0, a1, zero", 0xFFFF_FFFF);
        C("rem", "li a1, -7; li a2, 2; rem a0, a1, a2", unchecked((uint)-1));   // sign of the dividend
        C("rem neg divisor", "li a1, 7; li a2, -2; rem a0, a1, a2", 1);
        C("rem by zero", "li a1, -5; rem a0, a1, zero", unchecked((uint)-5));
        C("rem overflow", "li a1, 0x80000000; li a2, -1; rem a0, a1, a2", 0);
        C("remu", "li a1, -7; li a2, 10; remu a0, a1, a2", 0xFFFF_FFF9u % 10);
        C("remu by zero", "li a1, -5; remu a0, a1, zero", unchecked((uint)-5));
        C("mul into x0", "li a1, 3; mul x0, a1, a1; mv a0, x0", 0);

        // ---- Zicsr ----
        C("csrrw swaps", "li a1, 0x55; csrw mscratch, a1; li a2, 0x66; csrrw a0, mscratch, a2; csrr a3, mscratch; add a0, a0, a3", 0x55 + 0x66);
        C("csrrs sets", "li a1, 0x0f; csrw mscratch, a1; li a2, 0xf0; csrrs a0, mscratch, a2; csrr a0, mscratch", 0xFF);
        C("csrrs returns old", "li a1, 0x0f; csrw mscratch, a1; li a2, 0xf0; csrrs a0, mscratch, a2", 0x0F);
        C("csrrc clears", "li a1, 0xff; csrw mscratch, a1; li a2, 0x0f; csrrc a0, mscratch, a2; csrr a0, mscratch", 0xF0);
        C("csrrwi", "csrrwi zero, mscratch, 31; csrr a0, mscratch", 31);
        C("csrrsi", "csrwi mscratch, 16; csrrsi a0, mscratch, 1; csrr a0, mscratch", 17);
        C("csrrci", "csrwi mscratch, 31; csrrci a0, mscratch, 1; csrr a0, mscratch", 30);
        C("csrrs x0 reads only", "li a1, 9; csrw mscratch, a1; csrrs a0, mscratch, x0", 9);
        C("csrrw rd=rs1", "li a0, 3; csrw mscratch, zero; csrrw a0, mscratch, a0; csrr a1, mscratch; add a0, a0, a1", 3);

        // ---- fences ----
        C("fence is a no-op", "li a0, 4; fence; fence rw, rw; addi a0, a0, 1", 5);
        C("fence.i is a no-op on unmodified code", "li a0, 4; fence.i; addi a0, a0, 1", 5);
        return d;
    }

    public static TheoryData<string, string, uint, ExecMode> CasesInEveryMode()
    {
        var d = new TheoryData<string, string, uint, ExecMode>();
        foreach (var row in Cases())
            foreach (var mode in Snippet.AllModes)
                d.Add((string)row[0], (string)row[1], (uint)row[2], mode);
        return d;
    }

    [Theory]
    [MemberData(nameof(CasesInEveryMode))]
    public void Instruction(string name, string body, uint expectedA0, ExecMode mode)
    {
        var r = Snippet.Run(body, mode);
        Assert.False(r.Trapped, $"{name}: unexpected trap, mcause=0x{r.Hart.MCause:x}, mepc=0x{r.Hart.MEpc:x8}, mtval=0x{r.Hart.MTval:x8}");
        Assert.True(expectedA0 == r["a0"], $"{name} ({mode}): a0 = 0x{r["a0"]:x8}, expected 0x{expectedA0:x8}");
        Assert.Equal(0u, r.Hart[0]);
    }

    [Theory]
    [MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void ImmediateShiftsAndAluAgreeWithReferenceOverManyValues(ExecMode mode)
    {
        // A straight run of every R-type op on tricky operands, results stored to memory, checked here
        // against a model written from the spec's definitions.
        uint[] values = [0, 1, 2, 31, 32, 33, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xFFFF_FFFF, 0xFFFF_FFFE, 0x1234_5678, 0xFEDC_BA98];
        string[] ops = ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
                        "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"];
        var src = new System.Text.StringBuilder(".data\nout: .space " + values.Length * values.Length * ops.Length * 4 + "\n.text\nla s0, out\n");
        foreach (uint a in values)
            foreach (uint b in values)
            {
                src.Append($"li a1, 0x{a:x}; li a2, 0x{b:x}\n");
                foreach (var op in ops) src.Append($"{op} a0, a1, a2; sw a0, 0(s0); addi s0, s0, 4\n");
            }
        var r = Snippet.Run(src.ToString(), mode, budget: 1_000_000);
        uint at = r.Symbol("out");
        foreach (uint a in values)
            foreach (uint b in values)
                foreach (var op in ops)
                {
                    uint expected = Reference.Alu(op, a, b);
                    uint actual = r.Word(at);
                    Assert.True(expected == actual, $"{op} 0x{a:x8}, 0x{b:x8}: got 0x{actual:x8}, spec says 0x{expected:x8} ({mode})");
                    at += 4;
                }
    }
}

/// <summary>The R-type operations, written from the spec's prose (with BigInteger-free 64-bit arithmetic).</summary>
public static class Reference
{
    public static uint Alu(string op, uint a, uint b)
    {
        int sa = (int)a, sb = (int)b;
        int sh = (int)(b & 31);
        return op switch
        {
            "add" => a + b,
            "sub" => a - b,
            "sll" => a << sh,
            "slt" => sa < sb ? 1u : 0u,
            "sltu" => a < b ? 1u : 0u,
            "xor" => a ^ b,
            "srl" => a >> sh,
            "sra" => (uint)(sa >> sh),
            "or" => a | b,
            "and" => a & b,
            "mul" => (uint)((long)sa * sb),
            "mulh" => (uint)((ulong)((long)sa * sb) >> 32),
            "mulhu" => (uint)(((ulong)a * b) >> 32),
            // signed × unsigned: 128-bit not needed, the product fits in 64 bits signed.
            "mulhsu" => (uint)((ulong)(sa * (long)b) >> 32),
            "div" => b == 0 ? uint.MaxValue : (a == 0x8000_0000 && sb == -1) ? a : (uint)(sa / sb),
            "divu" => b == 0 ? uint.MaxValue : a / b,
            "rem" => b == 0 ? a : (a == 0x8000_0000 && sb == -1) ? 0 : (uint)(sa % sb),
            "remu" => b == 0 ? a : a % b,
            _ => throw new ArgumentException(op),
        };
    }
}
