using VirtLab.Assembly;
using VirtLab.Machine;
using static VirtLab.Machine.InstructionEncoding;

namespace VirtLab.Tests.Machine;

/// <summary>
/// The instruction encodings are written down once, in the <see cref="InstructionSet"/> table that
/// the assembler encodes from and the disassembler and the machine's <see cref="Decoder"/> decode
/// with. The reference interpreter (the slow path) keeps its own per-funct3 semantics, as the spec
/// states them. These tests check the decoder's reading of the table (operation and operands) and
/// the reference interpreter against the table, so a typo in either shows up as a disagreement.
/// </summary>
/// <remarks>
/// <para>
/// Three checks. (1) Every table entry, encoded by the assembler's own encoders with seeded random
/// operands, decodes in the machine to the same operation with the same operands. (2) Over millions
/// of seeded random words, the decoder gives a fast-path operation exactly to the words the table
/// recognizes as fast-path instructions. (3) The reference interpreter raises an illegal-instruction
/// trap exactly for the words the table does not recognize.
/// </para>
/// <para>
/// Known differences, all required by the spec rather than bugs: the machine executes fence and
/// fence.i words whose reserved fields are not zero (the spec says base implementations must ignore
/// those fields), while the table, like objdump, names only the standard encodings and the
/// disassembler prints the others as <c>.word</c>. And a branch or jal whose target is not 4-byte
/// aligned is a valid instruction the decoder leaves to the slow path, because taking it traps.
/// </para>
/// </remarks>
public class DecoderTableAgreementTests
{
    private const int Seed = 20261124;
    private const int SamplesPerInstruction = 500;
    private const int RandomWords = 3_000_000;
    private const int ExecutedWords = 400_000;

    // ------------------------------------------------------------------ names

    /// <summary>
    /// The decoder operation for a table entry, or <see cref="Op.Slow"/> for the instructions the
    /// decoder leaves to the reference interpreter (CSR access, ecall, ebreak, mret, wfi, fence.i).
    /// The decoder's names are the mnemonics capitalized, except that lui and auipc are both a
    /// <see cref="Op.LoadConstant"/> and fence.tso is a fence.
    /// </summary>
    internal static Op ExpectedOp(InstructionDefinition definition) => ExpectedOps[definition.Mnemonic];

    // Worked out once per table entry: Enum.Parse is far too slow to call for millions of words.
    private static readonly Dictionary<string, Op> ExpectedOps =
        InstructionSet.All.ToDictionary(d => d.Mnemonic, NameInTheDecoder, StringComparer.Ordinal);

    private static Op NameInTheDecoder(InstructionDefinition definition) => definition.Mnemonic switch
    {
        "lui" or "auipc" => Op.LoadConstant,
        "fence" or "fence.tso" => Op.Fence,
        _ when definition.Format is InstructionFormat.Csr or InstructionFormat.CsrImmediate or InstructionFormat.Fixed => Op.Slow,
        var m => Enum.Parse<Op>(char.ToUpperInvariant(m[0]) + m[1..]),
    };

    [Fact]
    public void EveryTableEntryHasADecoderOperation()
    {
        // Enum.Parse above throws for a mnemonic the decoder has no name for; this makes that a clear failure.
        var fastPath = InstructionSet.All.Where(d => ExpectedOp(d) != Op.Slow).Select(d => ExpectedOp(d)).ToHashSet();
        var decoderOps = Enum.GetValues<Op>().Where(op => op is not (Op.Undecoded or Op.PageEnd or Op.BudgetEnd or Op.Slow));
        Assert.Equal(decoderOps.Order(), fastPath.Order());
    }

    // ------------------------------------------------------------------ (1) same operation, same operands

    [Fact]
    public void EveryTableEntryDecodesToTheSameOperationAndOperands()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        int checkedWords = 0;
        foreach (var definition in InstructionSet.All)
        {
            for (int i = 0; i < SamplesPerInstruction; i++)
            {
                var sample = Sample(definition, random);
                Assert.True(InstructionSet.TryDecode(sample.Word, out var again) && again == definition,
                    $"the table does not decode its own encoding of {definition.Mnemonic}: 0x{sample.Word:x8}");
                string? problem = Disagreement(sample.Word, sample.Pc, definition, Decoder.Decode(sample.Word, sample.Pc));
                if (problem is not null) failures.Add($"{definition.Mnemonic} {sample.Operands}: {problem}");
                checkedWords++;
            }
        }
        Assert.True(checkedWords >= InstructionSet.All.Count * SamplesPerInstruction);
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements:\n" + string.Join("\n", failures.Take(30)));
    }

    /// <summary>One encoded instruction, the address it is decoded at, and its operands for messages.</summary>
    private sealed record EncodedSample(uint Word, uint Pc, string Operands);

    /// <summary>Random operands for instruction <paramref name="d"/>, encoded by the assembler's encoders.</summary>
    private static EncodedSample Sample(InstructionDefinition d, Random random)
    {
        int rd = random.Next(32), rs1 = random.Next(32), rs2 = random.Next(32);
        int imm12 = random.Next(-2048, 2048);
        // Mostly word-aligned targets (the fast path's case); sometimes only 2-byte aligned (the slow path's).
        int alignment = random.Next(4) == 0 ? 2 : 4;
        uint pc = 0x8000_0000u + 4u * (uint)random.Next(1 << 20);
        switch (d.Format)
        {
            case InstructionFormat.R:
                return new(EncodeR(d, rd, rs1, rs2), pc, $"rd={rd} rs1={rs1} rs2={rs2}");
            case InstructionFormat.I or InstructionFormat.Load or InstructionFormat.Jalr:
                return new(EncodeI(d, rd, rs1, imm12), pc, $"rd={rd} rs1={rs1} imm={imm12}");
            case InstructionFormat.Shift:
                int shamt = random.Next(32);
                return new(EncodeI(d, rd, rs1, shamt), pc, $"rd={rd} rs1={rs1} shamt={shamt}");
            case InstructionFormat.S:
                return new(EncodeS(d, rs1, rs2, imm12), pc, $"rs1={rs1} rs2={rs2} imm={imm12}");
            case InstructionFormat.B:
                int branchOffset = alignment * random.Next(-4096 / alignment, 4096 / alignment);
                return new(EncodeB(d, rs1, rs2, branchOffset), pc, $"rs1={rs1} rs2={rs2} offset={branchOffset} pc=0x{pc:x}");
            case InstructionFormat.U:
                uint imm20 = (uint)random.Next(1 << 20);
                return new(EncodeU(d, rd, imm20), pc, $"rd={rd} imm20=0x{imm20:x} pc=0x{pc:x}");
            case InstructionFormat.J:
                int jumpOffset = alignment * random.Next(-(1 << 20) / alignment, (1 << 20) / alignment);
                return new(EncodeJ(d, rd, jumpOffset), pc, $"rd={rd} offset={jumpOffset} pc=0x{pc:x}");
            case InstructionFormat.Csr:
                int csr = random.Next(CsrNames.MaxNumber + 1);
                return new(EncodeI(d, rd, rs1, csr), pc, $"rd={rd} csr=0x{csr:x} rs1={rs1}");
            case InstructionFormat.CsrImmediate:
                int csrNumber = random.Next(CsrNames.MaxNumber + 1);
                return new(EncodeI(d, rd, rs2, csrNumber), pc, $"rd={rd} csr=0x{csrNumber:x} uimm={rs2}");
            case InstructionFormat.Fence:
                uint predecessor = (uint)random.Next(16), successor = (uint)random.Next(16);
                return new(EncodeFence(d, predecessor, successor), pc, $"pred={predecessor} succ={successor}");
            default:
                return new(d.Match, pc, "");
        }
    }

    /// <summary>
    /// What is wrong with the decoder's view of <paramref name="word"/>, which the table says is
    /// <paramref name="d"/>; null if nothing. The expected operands are read with the assembler's
    /// field extractors (<see cref="InstructionEncoding"/>), never with the decoder's own.
    /// </summary>
    private static string? Disagreement(uint word, uint pc, InstructionDefinition d, DecodedInstruction decoded)
    {
        Op expected = ExpectedOp(d);
        // A taken branch or jal to a target that is not 4-byte aligned traps on the jump itself, which
        // the fast path cannot do: the decoder hands those to the slow path.
        if (d.Format is InstructionFormat.B && ((pc + (uint)ImmB(word)) & 3) != 0) expected = Op.Slow;
        if (d.Format is InstructionFormat.J && ((pc + (uint)ImmJ(word)) & 3) != 0) expected = Op.Slow;
        if (decoded.Op != expected) return $"0x{word:x8} at 0x{pc:x}: decoder says {decoded.Op}, table says {d.Mnemonic} ({expected})";
        if (expected is Op.Slow or Op.Fence) return null;   // nothing pre-decoded to compare

        var wanted = ExpectedOperands(word, pc, d);
        var actual = new Operands(decoded.Rd, decoded.Rs1, decoded.Rs2, decoded.Imm, decoded.Link);
        // Fields the instruction does not use are null in the expectation and not compared.
        if ((wanted.Rd is null || wanted.Rd == actual.Rd) && (wanted.Rs1 is null || wanted.Rs1 == actual.Rs1)
            && (wanted.Rs2 is null || wanted.Rs2 == actual.Rs2) && (wanted.Imm is null || wanted.Imm == actual.Imm)
            && (wanted.Link is null || wanted.Link == actual.Link))
            return null;
        return $"0x{word:x8} at 0x{pc:x} ({decoded.Op}): decoder {actual}, expected {wanted}";
    }

    /// <summary>The fields of a <see cref="DecodedInstruction"/>; null where an instruction does not use one.</summary>
    private readonly record struct Operands(int? Rd, int? Rs1, int? Rs2, int? Imm, uint? Link);

    /// <summary>
    /// What the decoder should pre-decode for <paramref name="word"/> at <paramref name="pc"/>: register
    /// numbers, the immediate (for branches and jal the absolute target, for auipc the sum with the pc,
    /// for shifts the shift amount), and the link address pc + 4 for jal and jalr.
    /// </summary>
    private static Operands ExpectedOperands(uint word, uint pc, InstructionDefinition d)
    {
        // x0 as a destination is redirected to a sink register nobody reads (see DecodedInstruction).
        int rd = Rd(word) == 0 ? Hart.ZeroSink : Rd(word);
        uint upper = ImmU(word) << 12;
        return d.Format switch
        {
            InstructionFormat.R => new(rd, Rs1(word), Rs2(word), null, null),
            InstructionFormat.I or InstructionFormat.Load => new(rd, Rs1(word), null, ImmI(word), null),
            InstructionFormat.Shift => new(rd, Rs1(word), null, Rs2(word), null),
            InstructionFormat.Jalr => new(rd, Rs1(word), null, ImmI(word), pc + 4),
            InstructionFormat.S => new(null, Rs1(word), Rs2(word), ImmS(word), null),
            InstructionFormat.B => new(null, Rs1(word), Rs2(word), (int)(pc + (uint)ImmB(word)), null),
            InstructionFormat.U => new(rd, null, null, (int)(d.Mnemonic == "auipc" ? pc + upper : upper), null),
            InstructionFormat.J => new(rd, null, null, (int)(pc + (uint)ImmJ(word)), pc + 4),
            _ => new(null, null, null, null, null),
        };
    }

    // ------------------------------------------------------------------ (2) the decoder on random words

    /// <summary>
    /// A word whose major opcode is one of ours half of the time (so funct3/funct7 combinations get
    /// hammered) and anything at all otherwise.
    /// </summary>
    private static uint RandomWord(Random random)
    {
        uint word = (uint)random.NextInt64(0, 1L << 32);
        if (random.Next(2) == 0) word = (word & ~0x7Fu) | MajorOpcodes[random.Next(MajorOpcodes.Length)];
        return word;
    }

    private static readonly uint[] MajorOpcodes =
    [
        Opcodes.Load, Opcodes.MiscMem, Opcodes.OpImm, Opcodes.Auipc, Opcodes.Store, Opcodes.Op,
        Opcodes.Lui, Opcodes.Branch, Opcodes.Jalr, Opcodes.Jal, Opcodes.System,
    ];

    /// <summary>
    /// A fence (funct3 0) or fence.i (funct3 1) whose reserved fields are not all zero. The spec says
    /// base implementations ignore those fields (and treat reserved fence modes as normal fences), so
    /// the machine runs these; the table names only the standard encodings.
    /// </summary>
    private static bool IsFenceWithReservedFields(uint word) =>
        (word & 0x7F) == Opcodes.MiscMem && Funct3(word) is 0 or 1 && !InstructionSet.TryDecode(word, out _);

    [Fact]
    public void OnRandomWordsTheDecoderAcceptsExactlyWhatTheTableRecognizes()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        int recognized = 0, reservedFences = 0;
        for (int i = 0; i < RandomWords; i++)
        {
            uint word = RandomWord(random);
            uint pc = 0x8000_0000u + 4u * (uint)random.Next(1 << 20);
            var decoded = Decoder.Decode(word, pc);
            string? problem;
            if (InstructionSet.TryDecode(word, out var definition))
            {
                recognized++;
                problem = Disagreement(word, pc, definition, decoded);
            }
            else if (IsFenceWithReservedFields(word))
            {
                reservedFences++;
                problem = decoded.Op is Op.Fence or Op.Slow ? null : $"0x{word:x8}: a reserved fence encoding decodes as {decoded.Op}";
            }
            else
            {
                problem = decoded.Op == Op.Slow ? null
                    : $"0x{word:x8} at 0x{pc:x}: not an instruction in the table ('{Disassembler.Disassemble(word, pc)}'), decoder says {decoded.Op}";
            }
            if (problem is not null && failures.Count < 30) failures.Add(problem);
        }
        // The sample must exercise both sides, or the test proves nothing.
        Assert.True(recognized > RandomWords / 5 && recognized < RandomWords * 4 / 5, $"{recognized} of {RandomWords} words were instructions");
        Assert.True(reservedFences > 0);
        Assert.True(failures.Count == 0, $"decoder and table disagree:\n{string.Join("\n", failures)}");
    }

    // ------------------------------------------------------------------ (3) the reference interpreter

    /// <summary>Records the trap a hart reports instead of entering its handler (the hypervisor's VM-exit hook).</summary>
    private sealed class TrapRecorder : ITrapSink
    {
        public TrapCause? Last;
        public void OnTrap(Hart hart, TrapCause cause, uint tval) => Last = cause;
    }

    [Fact]
    public void TheMachineRejectsExactlyTheWordsTheTableDoesNotRecognize()
    {
        // Each word runs once, alone, on a hart whose traps go to a recorder. The registers are all
        // zero, so loads and stores go to unmapped low addresses and fault harmlessly.
        // A CSR instruction's word has its CSR number replaced by mscratch: whether a CSR exists is
        // a property of this machine, not of the encoding (the table accepts all 4096 numbers).
        const uint Base = 0x8000_0000, MScratch = 0x340;
        const int WordsPerPage = PhysicalMemory.PageSize / 4;
        var memory = AddressSpace.IdentityMapped(new PhysicalMemory(1), Base);
        var recorder = new TrapRecorder();
        var hart = new Hart(0, memory) { TrapSink = recorder };

        var random = new Random(Seed + 1);
        var failures = new List<string>();
        int rejected = 0, accepted = 0;
        var page = new uint[WordsPerPage];
        for (int done = 0; done < ExecutedWords; done += WordsPerPage)
        {
            for (int i = 0; i < WordsPerPage; i++)
            {
                uint word = RandomWord(random);
                if ((word & 0x7F) == Opcodes.System && Funct3(word) is not (0 or 4)) word = (word & 0x000F_FFFF) | MScratch << 20;
                page[i] = word;
                // Stores through the address space, so the hart's decoded copy of the page is dropped.
                Assert.True(memory.TryWrite(Base + 4 * (uint)i, 4, word));
            }
            for (int i = 0; i < WordsPerPage; i++)
            {
                uint word = page[i], pc = Base + 4 * (uint)i;
                hart.Pc = pc;
                hart.Privilege = Privilege.Machine;
                hart.MStatus = 3u << 11;   // MPP = M, so an mret stays in M-mode
                hart.IsWaitingForInterrupt = false;
                recorder.Last = null;
                hart.Step();
                hart.ClearExit();
                hart[Rd(word)] = 0;

                bool machineAccepts = recorder.Last != TrapCause.IllegalInstruction;
                bool tableRecognizes = InstructionSet.TryDecode(word, out _);
                if (machineAccepts) accepted++; else rejected++;
                if (machineAccepts == tableRecognizes) continue;
                if (machineAccepts && IsFenceWithReservedFields(word)) continue;
                if (failures.Count < 30)
                    failures.Add($"0x{word:x8} ('{Disassembler.Disassemble(word, pc)}'): machine {(machineAccepts ? "executes it" : "traps illegal")}, " +
                        $"table {(tableRecognizes ? "recognizes it" : "does not")}");
            }
        }
        Assert.True(accepted > ExecutedWords / 5 && rejected > ExecutedWords / 5, $"{accepted} accepted, {rejected} rejected");
        Assert.True(failures.Count == 0, $"machine and table disagree:\n{string.Join("\n", failures)}");
    }
}
