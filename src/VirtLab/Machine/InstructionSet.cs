namespace VirtLab.Machine;

using static InstructionFormat;

/// <summary>
/// The instruction table of RV32IM + Zicsr + Zifencei (plus <c>mret</c> and <c>wfi</c> from the privileged spec):
/// the one place where VirtLab writes down which bits identify which instruction. The assembler
/// encodes from it, the disassembler and the interpreter's decoder decode with it, and the
/// hypervisor recognises the instructions a guest traps on with it, so none of them can disagree.
/// </summary>
public static class InstructionSet
{
    /// <summary><c>ecall</c>: a request to the execution environment (a system call, or a hypercall from a guest).</summary>
    public const uint EcallWord = 0x0000_0073;
    /// <summary><c>ebreak</c>: a breakpoint trap for debuggers.</summary>
    public const uint EbreakWord = 0x0010_0073;
    /// <summary><c>mret</c>: return from a machine-mode trap handler (privileged spec 3.3.2).</summary>
    public const uint MretWord = 0x3020_0073;
    /// <summary><c>wfi</c>: wait for an interrupt (privileged spec 3.3.3).</summary>
    public const uint WfiWord = 0x1050_0073;
    /// <summary><c>fence.i</c>: make earlier stores visible to instruction fetch (Zifencei).</summary>
    public const uint FenceIWord = 0x0000_100F;
    /// <summary><c>fence.tso</c>: a fence with total-store-order semantics (fm = 1000, rw,rw).</summary>
    public const uint FenceTsoWord = 0x8330_000F;
    /// <summary><c>unimp</c>: <c>csrrw zero, cycle, zero</c>, a write to a read-only CSR, guaranteed to trap.</summary>
    public const uint UnimpWord = 0xC000_1073;

    /// <summary>Every instruction, in the order of the spec's instruction listing.</summary>
    public static IReadOnlyList<InstructionDefinition> All { get; } =
    [
        //      mnemonic     format        opcode            funct3  funct7
        Row("lui",          U,            Opcodes.Lui),
        Row("auipc",        U,            Opcodes.Auipc),
        Row("jal",          J,            Opcodes.Jal),
        Row("jalr",         Jalr,         Opcodes.Jalr,     0b000),
        Row("beq",          B,            Opcodes.Branch,   0b000),
        Row("bne",          B,            Opcodes.Branch,   0b001),
        Row("blt",          B,            Opcodes.Branch,   0b100),
        Row("bge",          B,            Opcodes.Branch,   0b101),
        Row("bltu",         B,            Opcodes.Branch,   0b110),
        Row("bgeu",         B,            Opcodes.Branch,   0b111),
        Row("lb",           Load,         Opcodes.Load,     0b000),
        Row("lh",           Load,         Opcodes.Load,     0b001),
        Row("lw",           Load,         Opcodes.Load,     0b010),
        Row("lbu",          Load,         Opcodes.Load,     0b100),
        Row("lhu",          Load,         Opcodes.Load,     0b101),
        Row("sb",           S,            Opcodes.Store,    0b000),
        Row("sh",           S,            Opcodes.Store,    0b001),
        Row("sw",           S,            Opcodes.Store,    0b010),
        Row("addi",         I,            Opcodes.OpImm,    0b000),
        Row("slti",         I,            Opcodes.OpImm,    0b010),
        Row("sltiu",        I,            Opcodes.OpImm,    0b011),
        Row("xori",         I,            Opcodes.OpImm,    0b100),
        Row("ori",          I,            Opcodes.OpImm,    0b110),
        Row("andi",         I,            Opcodes.OpImm,    0b111),
        Row("slli",         Shift,        Opcodes.OpImm,    0b001, 0b000_0000),
        Row("srli",         Shift,        Opcodes.OpImm,    0b101, 0b000_0000),
        Row("srai",         Shift,        Opcodes.OpImm,    0b101, 0b010_0000),
        Row("add",          R,            Opcodes.Op,       0b000, 0b000_0000),
        Row("sub",          R,            Opcodes.Op,       0b000, 0b010_0000),
        Row("sll",          R,            Opcodes.Op,       0b001, 0b000_0000),
        Row("slt",          R,            Opcodes.Op,       0b010, 0b000_0000),
        Row("sltu",         R,            Opcodes.Op,       0b011, 0b000_0000),
        Row("xor",          R,            Opcodes.Op,       0b100, 0b000_0000),
        Row("srl",          R,            Opcodes.Op,       0b101, 0b000_0000),
        Row("sra",          R,            Opcodes.Op,       0b101, 0b010_0000),
        Row("or",           R,            Opcodes.Op,       0b110, 0b000_0000),
        Row("and",          R,            Opcodes.Op,       0b111, 0b000_0000),
        Row("fence",        Fence,        Opcodes.MiscMem,  0b000),
        Fixed("fence.tso",  FenceTsoWord),
        Fixed("ecall",      EcallWord),
        Fixed("ebreak",     EbreakWord),

        // M extension: multiply and divide (funct7 = 1 in the OP opcode).
        Row("mul",          R,            Opcodes.Op,       0b000, 0b000_0001, "M"),
        Row("mulh",         R,            Opcodes.Op,       0b001, 0b000_0001, "M"),
        Row("mulhsu",       R,            Opcodes.Op,       0b010, 0b000_0001, "M"),
        Row("mulhu",        R,            Opcodes.Op,       0b011, 0b000_0001, "M"),
        Row("div",          R,            Opcodes.Op,       0b100, 0b000_0001, "M"),
        Row("divu",         R,            Opcodes.Op,       0b101, 0b000_0001, "M"),
        Row("rem",          R,            Opcodes.Op,       0b110, 0b000_0001, "M"),
        Row("remu",         R,            Opcodes.Op,       0b111, 0b000_0001, "M"),

        // Zifencei: instruction-fetch fence.
        Fixed("fence.i",    FenceIWord, "Zifencei"),

        // Zicsr: atomic read-modify-write of control and status registers. (The format is spelled out
        // in the first three rows: a plain "Csr" would name the class of CSR numbers.)
        Row("csrrw",        InstructionFormat.Csr, Opcodes.System, 0b001, extension: "Zicsr"),
        Row("csrrs",        InstructionFormat.Csr, Opcodes.System, 0b010, extension: "Zicsr"),
        Row("csrrc",        InstructionFormat.Csr, Opcodes.System, 0b011, extension: "Zicsr"),
        Row("csrrwi",       CsrImmediate, Opcodes.System,   0b101, extension: "Zicsr"),
        Row("csrrsi",       CsrImmediate, Opcodes.System,   0b110, extension: "Zicsr"),
        Row("csrrci",       CsrImmediate, Opcodes.System,   0b111, extension: "Zicsr"),

        // Privileged instructions used by machine-mode software.
        Fixed("mret",       MretWord, "Priv"),
        Fixed("wfi",        WfiWord, "Priv"),
        Fixed("unimp",      UnimpWord, "Priv"),
    ];

    private static readonly Dictionary<string, InstructionDefinition> ByMnemonic =
        All.ToDictionary(d => d.Mnemonic, StringComparer.Ordinal);

    // The rows to try for each of the 128 values of the opcode field (bits 6:0), so decoding looks
    // at a handful of rows instead of all of them. Most specific first within each, so fence.tso is
    // found before fence and unimp before csrrw. Masks and matches are kept beside them in arrays:
    // the interpreter's decoder goes through here for every instruction it meets.
    private static readonly int[][] CandidatesByOpcode =
    [
        .. Enumerable.Range(0, 128).Select(opcode => Enumerable.Range(0, All.Count)
            .Where(i => All[i].Opcode == (uint)opcode)
            .OrderByDescending(i => System.Numerics.BitOperations.PopCount(All[i].Mask))
            .ToArray()),
    ];
    private static readonly uint[] Masks = [.. All.Select(d => d.Mask)];
    private static readonly uint[] Matches = [.. All.Select(d => d.Match)];

    /// <summary>Finds an instruction by mnemonic (lower case).</summary>
    public static bool TryGet(string mnemonic, out InstructionDefinition definition) =>
        ByMnemonic.TryGetValue(mnemonic, out definition!);

    /// <summary>The instruction by mnemonic; throws <see cref="KeyNotFoundException"/> for unknown names.</summary>
    public static InstructionDefinition Get(string mnemonic) => ByMnemonic[mnemonic];

    /// <summary>Identifies the instruction a word encodes, or returns false if it is not in the table.</summary>
    public static bool TryDecode(uint word, out InstructionDefinition definition)
    {
        int row = RowOf(word);
        definition = row >= 0 ? All[row] : null!;
        return row >= 0;
    }

    /// <summary>The index in <see cref="All"/> of the instruction <paramref name="word"/> encodes, or -1 if it is not in the table.</summary>
    public static int RowOf(uint word)
    {
        foreach (int row in CandidatesByOpcode[InstructionEncoding.Opcode(word)])
        {
            if ((word & Masks[row]) == Matches[row] && FieldsAreLegal(All[row], word))
                return row;
        }
        return -1;
    }

    // A few fields must be zero in RV32 even though the mask leaves them free.
    private static bool FieldsAreLegal(InstructionDefinition d, uint word) => d.Format switch
    {
        // fence: fm (31:28) is 0 for a normal fence; rd and rs1 are reserved and must be zero.
        Fence => (word >> 28) == 0 && InstructionEncoding.Rd(word) == 0 && InstructionEncoding.Rs1(word) == 0,
        _ => true,
    };

    private static InstructionDefinition Row(
        string mnemonic, InstructionFormat format, uint opcode, uint funct3 = 0, uint funct7 = 0, string extension = "I") =>
        new(mnemonic, format, opcode, funct3, funct7, 0, extension);

    private static InstructionDefinition Fixed(string mnemonic, uint word, string extension = "I") =>
        new(mnemonic, InstructionFormat.Fixed, InstructionEncoding.Opcode(word), InstructionEncoding.Funct3(word), InstructionEncoding.Funct7(word), word, extension);
}
