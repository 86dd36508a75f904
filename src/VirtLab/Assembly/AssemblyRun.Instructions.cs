using VirtLab.Machine;
using static VirtLab.Assembly.ImmediateKind;

namespace VirtLab.Assembly;

/// <summary>Pass 1 for instructions: parse operands and expand pseudo-instructions into real ones.</summary>
internal sealed partial class AssemblyRun
{
    private const int Zero = 0, ReturnAddress = 1, Temporary1 = 6;

    /// <summary>R-type instructions that GNU as also accepts with an immediate, meaning their I-type twin (<c>add a0, a1, 5</c> is <c>addi</c>).</summary>
    private static readonly Dictionary<string, string> ImmediateTwins = new(StringComparer.Ordinal)
    {
        ["add"] = "addi", ["and"] = "andi", ["or"] = "ori", ["xor"] = "xori", ["slt"] = "slti", ["sltu"] = "sltiu",
        ["sll"] = "slli", ["srl"] = "srli", ["sra"] = "srai",
        ["csrrw"] = "csrrwi", ["csrrs"] = "csrrsi", ["csrrc"] = "csrrci",
    };

    /// <summary>Branch pseudo-instructions that compare with zero: the real branch and whether the register goes in rs1 or rs2.</summary>
    private static readonly Dictionary<string, (string Branch, bool RegisterIsRs1)> BranchesAgainstZero = new(StringComparer.Ordinal)
    {
        ["beqz"] = ("beq", true),
        ["bnez"] = ("bne", true),
        ["bltz"] = ("blt", true),
        ["bgez"] = ("bge", true),
        ["blez"] = ("bge", false), // rs <= 0  is  0 >= rs
        ["bgtz"] = ("blt", false), // rs > 0   is  0 < rs
    };

    /// <summary>Branch pseudo-instructions that swap the operands of a real branch (<c>bgt a, b</c> is <c>blt b, a</c>).</summary>
    private static readonly Dictionary<string, string> SwappedBranches = new(StringComparer.Ordinal)
    {
        ["bgt"] = "blt", ["ble"] = "bge", ["bgtu"] = "bltu", ["bleu"] = "bgeu",
    };

    private static readonly Dictionary<string, string> CounterReads = new(StringComparer.Ordinal)
    {
        ["rdcycle"] = "cycle", ["rdtime"] = "time", ["rdinstret"] = "instret",
        ["rdcycleh"] = "cycleh", ["rdtimeh"] = "timeh", ["rdinstreth"] = "instreth",
    };

    /// <summary>Lets an instruction's operands be parsed and its words emitted; collects what it produced.</summary>
    private sealed class Emitter(AssemblyRun run, Statement statement, Token mnemonic)
    {
        public List<MachineInstruction> Instructions { get; } = [];
        public Statement Statement => statement;
        public Token Mnemonic => mnemonic;
        public uint NextOffset => run._current.Size + (uint)(4 * Instructions.Count);

        public void Emit(string name, int rd = 0, int rs1 = 0, int rs2 = 0, Immediate? immediate = null, int csr = 0) =>
            Instructions.Add(new MachineInstruction(InstructionSet.Get(name), rd, rs1, rs2, csr, immediate));

        public Immediate Constant(long value) => new(Value, new NumberExpression(mnemonic, value), mnemonic);
    }

    private void AssembleInstruction(Statement statement, Token mnemonic, string name)
    {
        if (_current.NoBits)
        {
            Report(mnemonic, $"instructions cannot go in the zero-filled section {_current.Name}");
            return;
        }
        int errorsBefore = _diagnostics.Count;
        var emitter = new Emitter(this, statement, mnemonic);
        int expectedWords = InstructionSet.TryGet(name, out var definition)
            ? AssembleReal(emitter, definition, statement.Operands)
            : AssemblePseudo(emitter, name, statement.Operands);
        if (expectedWords < 0)
        {
            Report(mnemonic, $"unknown instruction '{mnemonic.Text}'");
            return;
        }

        if (_diagnostics.Count > errorsBefore)
        {
            // Keep the addresses of later labels right even though this line is wrong.
            _current.Add(new FillFragment(_current.Size, (uint)(4 * expectedWords), 0, false, statement));
            return;
        }
        foreach (var instruction in emitter.Instructions)
            _current.Add(new InstructionFragment(_current.Size, instruction, statement));
    }

    private bool CheckOperandCount(Emitter e, IReadOnlyList<IReadOnlyList<Token>> ops, int min, int max)
    {
        if (ops.Count >= min && ops.Count <= max) return true;
        string expected = min == max ? $"{min}" : $"{min} to {max}";
        string noun = max == 1 && min == 1 ? "operand" : "operands";
        Report(e.Mnemonic, $"'{e.Mnemonic.Text}' expects {expected} {noun}, got {ops.Count}");
        return false;
    }

    /// <summary>Parses a real instruction. Returns its size in words (always 1).</summary>
    private int AssembleReal(Emitter e, InstructionDefinition d, IReadOnlyList<IReadOnlyList<Token>> ops)
    {
        var at = e.Mnemonic;
        switch (d.Format)
        {
            case InstructionFormat.R:
                if (!CheckOperandCount(e, ops, 3, 3)) break;
                if (!IsRegister(ops[2]) && ImmediateTwins.TryGetValue(d.Mnemonic, out var twin))
                    return AssembleReal(e, InstructionSet.Get(twin), ops);
                e.Emit(d.Mnemonic, Register(ops[0], at), Register(ops[1], at), Register(ops[2], at));
                break;

            case InstructionFormat.I:
            case InstructionFormat.Shift:
                if (!CheckOperandCount(e, ops, 3, 3)) break;
                {
                    int rd = Register(ops[0], at), rs1 = Register(ops[1], at);
                    var immediate = d.Format == InstructionFormat.Shift
                        ? ParseImmediate(ops[2], at, Value)
                        : ParseImmediate(ops[2], at, Value, Lo, PcrelLo);
                    e.Emit(d.Mnemonic, rd, rs1, immediate: immediate);
                }
                break;

            case InstructionFormat.Load:
                if (!CheckOperandCount(e, ops, 2, 2)) break;
                {
                    int rd = Register(ops[0], at);
                    var (offset, baseRegister) = ParseMemoryOperand(ops[1], at);
                    e.Emit(d.Mnemonic, rd, baseRegister, immediate: offset);
                }
                break;

            case InstructionFormat.S:
                if (!CheckOperandCount(e, ops, 2, 2)) break;
                {
                    int rs2 = Register(ops[0], at);
                    var (offset, baseRegister) = ParseMemoryOperand(ops[1], at);
                    e.Emit(d.Mnemonic, rs1: baseRegister, rs2: rs2, immediate: offset);
                }
                break;

            case InstructionFormat.B:
                if (!CheckOperandCount(e, ops, 3, 3)) break;
                e.Emit(d.Mnemonic, rs1: Register(ops[0], at), rs2: Register(ops[1], at), immediate: Target(ops[2], at));
                break;

            case InstructionFormat.U:
                if (!CheckOperandCount(e, ops, 2, 2)) break;
                {
                    int rd = Register(ops[0], at);
                    var immediate = d.Mnemonic == "auipc"
                        ? ParseImmediate(ops[1], at, Value, PcrelHi)
                        : ParseImmediate(ops[1], at, Value, Hi);
                    e.Emit(d.Mnemonic, rd, immediate: immediate);
                }
                break;

            case InstructionFormat.J: // jal target  |  jal rd, target
                if (!CheckOperandCount(e, ops, 1, 2)) break;
                if (ops.Count == 1)
                    e.Emit("jal", ReturnAddress, immediate: Target(ops[0], at));
                else
                    e.Emit("jal", Register(ops[0], at), immediate: Target(ops[1], at));
                break;

            case InstructionFormat.Jalr: // jalr rs  |  jalr rd, rs  |  jalr rd, offset(rs)  |  jalr rd, rs, offset
                if (!CheckOperandCount(e, ops, 1, 3)) break;
                if (ops.Count == 1)
                {
                    JumpRegister(e, ReturnAddress, ops[0]);
                }
                else if (ops.Count == 2)
                {
                    JumpRegister(e, Register(ops[0], at), ops[1]);
                }
                else
                {
                    e.Emit("jalr", Register(ops[0], at), Register(ops[1], at), immediate: ParseImmediate(ops[2], at, Value, Lo, PcrelLo));
                }
                break;

            case InstructionFormat.Csr:
                if (!CheckOperandCount(e, ops, 3, 3)) break;
                if (!IsRegister(ops[2]))
                    return AssembleReal(e, InstructionSet.Get(ImmediateTwins[d.Mnemonic]), ops);
                e.Emit(d.Mnemonic, Register(ops[0], at), Register(ops[2], at), csr: ParseCsr(ops[1], at));
                break;

            case InstructionFormat.CsrImmediate:
                if (!CheckOperandCount(e, ops, 3, 3)) break;
                e.Emit(d.Mnemonic, Register(ops[0], at), csr: ParseCsr(ops[1], at), immediate: ParseImmediate(ops[2], at, Value));
                break;

            case InstructionFormat.Fence: // fence  |  fence pred, succ
                if (ops.Count == 0)
                {
                    e.Emit("fence", immediate: e.Constant(0b1111_1111));
                    break;
                }
                if (!CheckOperandCount(e, ops, 2, 2)) break;
                {
                    uint predecessor = ParseFenceSet(ops[0], at), successor = ParseFenceSet(ops[1], at);
                    e.Emit("fence", immediate: e.Constant(predecessor << 4 | successor));
                }
                break;

            case InstructionFormat.Fixed:
                if (!CheckOperandCount(e, ops, 0, 0)) break;
                e.Emit(d.Mnemonic);
                break;
        }
        return 1;
    }

    private void JumpRegister(Emitter e, int rd, IReadOnlyList<Token> operand)
    {
        if (IsRegister(operand) || operand.Count == 0 || !operand[^1].Is(")"))
        {
            e.Emit("jalr", rd, Register(operand, e.Mnemonic), immediate: e.Constant(0));
            return;
        }
        var (offset, baseRegister) = ParseMemoryOperand(operand, e.Mnemonic);
        e.Emit("jalr", rd, baseRegister, immediate: offset);
    }

    private Immediate? Target(IReadOnlyList<Token> operand, Token at)
    {
        var expression = ParseExpression(operand, at);
        return expression is null ? null : new Immediate(ImmediateKind.Target, expression, operand[0]);
    }

    /// <summary>Expands a pseudo-instruction. Returns the number of words it takes, or -1 if the name is unknown.</summary>
    private int AssemblePseudo(Emitter e, string name, IReadOnlyList<IReadOnlyList<Token>> ops)
    {
        var at = e.Mnemonic;
        bool Count(int min, int max) => CheckOperandCount(e, ops, min, max);

        if (BranchesAgainstZero.TryGetValue(name, out var zeroBranch))
        {
            if (Count(2, 2))
            {
                int rs = Register(ops[0], at);
                var target = Target(ops[1], at);
                if (zeroBranch.RegisterIsRs1) e.Emit(zeroBranch.Branch, rs1: rs, rs2: Zero, immediate: target);
                else e.Emit(zeroBranch.Branch, rs1: Zero, rs2: rs, immediate: target);
            }
            return 1;
        }
        if (SwappedBranches.TryGetValue(name, out var swapped))
        {
            if (Count(3, 3))
                e.Emit(swapped, rs1: Register(ops[1], at), rs2: Register(ops[0], at), immediate: Target(ops[2], at));
            return 1;
        }
        if (CounterReads.TryGetValue(name, out var counter))
        {
            if (Count(1, 1))
                e.Emit("csrrs", Register(ops[0], at), Zero, csr: CsrNames.All[counter]);
            return 1;
        }

        switch (name)
        {
            case "nop":
                if (Count(0, 0)) e.Emit("addi", Zero, Zero, immediate: e.Constant(0));
                return 1;
            case "li":
                return LoadImmediate(e, ops);
            case "la":
            case "lla":
                if (Count(2, 2)) PcRelativePair(e, "addi", Register(ops[0], at), Register(ops[0], at), ops[1]);
                return 2;
            case "call": // call target (auipc ra; jalr ra)  |  call rd, target (auipc t1; jalr rd), as GNU as does
                if (Count(1, 2))
                {
                    if (ops.Count == 2) PcRelativePair(e, "jalr", Temporary1, Register(ops[0], at), ops[1]);
                    else PcRelativePair(e, "jalr", ReturnAddress, ReturnAddress, ops[0]);
                }
                return 2;
            case "tail": // auipc t1, %pcrel_hi(target); jalr zero, %pcrel_lo(...)(t1)
                if (Count(1, 1)) PcRelativePair(e, "jalr", Temporary1, Zero, ops[0]);
                return 2;
            case "mv":
                if (Count(2, 2)) e.Emit("addi", Register(ops[0], at), Register(ops[1], at), immediate: e.Constant(0));
                return 1;
            case "not":
                if (Count(2, 2)) e.Emit("xori", Register(ops[0], at), Register(ops[1], at), immediate: e.Constant(-1));
                return 1;
            case "neg":
                if (Count(2, 2)) e.Emit("sub", Register(ops[0], at), Zero, Register(ops[1], at));
                return 1;
            case "seqz":
                if (Count(2, 2)) e.Emit("sltiu", Register(ops[0], at), Register(ops[1], at), immediate: e.Constant(1));
                return 1;
            case "snez":
                if (Count(2, 2)) e.Emit("sltu", Register(ops[0], at), Zero, Register(ops[1], at));
                return 1;
            case "sltz":
                if (Count(2, 2)) e.Emit("slt", Register(ops[0], at), Register(ops[1], at), Zero);
                return 1;
            case "sgtz":
                if (Count(2, 2)) e.Emit("slt", Register(ops[0], at), Zero, Register(ops[1], at));
                return 1;
            case "j":
                if (Count(1, 1)) e.Emit("jal", Zero, immediate: Target(ops[0], at));
                return 1;
            case "jr":
                if (Count(1, 1)) JumpRegister(e, Zero, ops[0]);
                return 1;
            case "ret":
                if (Count(0, 0)) e.Emit("jalr", Zero, ReturnAddress, immediate: e.Constant(0));
                return 1;
            case "csrr":
                if (Count(2, 2)) e.Emit("csrrs", Register(ops[0], at), Zero, csr: ParseCsr(ops[1], at));
                return 1;
            case "csrw":
            case "csrs":
            case "csrc":
                if (Count(2, 2))
                {
                    string real = "csrr" + name[3];
                    if (IsRegister(ops[1])) e.Emit(real, Zero, Register(ops[1], at), csr: ParseCsr(ops[0], at));
                    else e.Emit(real + "i", Zero, csr: ParseCsr(ops[0], at), immediate: ParseImmediate(ops[1], at, Value));
                }
                return 1;
            case "csrwi":
            case "csrsi":
            case "csrci":
                if (Count(2, 2)) e.Emit("csrr" + name[3] + "i", Zero, csr: ParseCsr(ops[0], at), immediate: ParseImmediate(ops[1], at, Value));
                return 1;
            default:
                return -1;
        }
    }

    /// <summary>
    /// <c>auipc</c> followed by an instruction using the low part of the same pc-relative offset:
    /// together they reach any address within ±2 GiB of the auipc.
    /// </summary>
    private void PcRelativePair(Emitter e, string second, int auipcRegister, int rd, IReadOnlyList<Token> targetOperand)
    {
        var target = ParseExpression(targetOperand, e.Mnemonic);
        if (target is null) return;
        uint anchor = e.NextOffset;
        e.Emit("auipc", auipcRegister, immediate: new Immediate(PcrelHi, target, target.At));
        e.Emit(second, rd, auipcRegister, immediate: new Immediate(PcrelLoFromAnchor, target, target.At) { AnchorOffset = anchor });
    }

    /// <summary>
    /// <c>li rd, value</c> exactly as GNU as expands it: <c>lui</c> with the upper 20 bits (rounded so the
    /// sign-extended low part corrects it) when they are not zero, then <c>addi</c> with the low 12 bits when
    /// they are not zero (or when there was no lui). A value not known yet gets both, with %hi/%lo.
    /// </summary>
    private int LoadImmediate(Emitter e, IReadOnlyList<IReadOnlyList<Token>> ops)
    {
        if (!CheckOperandCount(e, ops, 2, 2)) return 1;
        int rd = Register(ops[0], e.Mnemonic);
        var expression = ParseExpression(ops[1], e.Mnemonic);
        if (expression is null) return 1;
        var value = EvaluateNow(expression);
        if (value.Error is not null) return 1;
        if (!value.Known)
        {
            e.Emit("lui", rd, immediate: new Immediate(Hi, expression, expression.At));
            e.Emit("addi", rd, rd, immediate: new Immediate(Lo, expression, expression.At));
            return 2;
        }
        if (value.Value is < int.MinValue or > uint.MaxValue)
        {
            Report(expression.At, $"immediate {value.Value} does not fit in 32 bits");
            return 1;
        }
        int constant = unchecked((int)value.Value);
        int low = SignExtend12(constant);
        int high = unchecked(constant - low);
        if (high != 0) e.Emit("lui", rd, immediate: e.Constant((uint)high >> 12));
        if (low != 0 || high == 0) e.Emit("addi", rd, high != 0 ? rd : Zero, immediate: e.Constant(low));
        return e.Instructions.Count;
    }

    private static int SignExtend12(long value) => (int)(value << 52 >> 52);
}
