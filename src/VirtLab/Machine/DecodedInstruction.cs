using System.Runtime.InteropServices;

namespace VirtLab.Machine;

/// <summary>
/// The operations the interpreter's fast path knows, named after the mnemonics they carry out.
/// Everything else (CSR access, ecall, mret, wfi, fence.i, illegal words) decodes to
/// <see cref="Slow"/> and is executed by the reference interpreter in <see cref="Hart"/>'s slow
/// path, which reads the raw word again. Ops of one kind are kept together (loads, stores,
/// branches, ALU with an immediate, ALU with registers, M extension): the instruction sampler
/// tells kinds apart by range.
/// </summary>
internal enum Op : byte
{
    /// <summary>Not decoded yet: decode on first execution.</summary>
    Undecoded = 0,
    /// <summary>Sentinel after the last instruction of a page: fall through to the next page.</summary>
    PageEnd,
    /// <summary>
    /// Sentinel planted over the slot where the current block's budget runs out, so that a block
    /// stops at exactly the instruction count asked for without counting every instruction.
    /// </summary>
    BudgetEnd,
    Slow,
    /// <summary>rd = Imm. LUI, and AUIPC too: the PC is known at decode time, so auipc is a constant.</summary>
    LoadConstant,
    Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Lbu, Lhu,
    Sb, Sh, Sw,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
    /// <summary>fence: orders memory for other harts; a no-op for an interpreter whose memory is coherent.</summary>
    Fence,
}

/// <summary>
/// One pre-decoded instruction: operation, register numbers and an immediate, with everything the
/// decoder could work out in advance already worked out (branch targets and link addresses are
/// absolute, because decoding happens at a known address).
/// A destination register x0 is stored as <see cref="Hart.ZeroSink"/>, a spare register nobody
/// reads, so the fast path can write rd unconditionally and x0 stays zero.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedInstruction
{
    public Op Op;
    public byte Rd, Rs1, Rs2;
    /// <summary>Immediate operand; for branches and jal the absolute target.</summary>
    public int Imm;
    /// <summary>Link value (pc + 4) for jal and jalr.</summary>
    public uint Link;
    /// <summary>
    /// How hot this instruction is as a jump target, for <see cref="Translator"/>: counts entries
    /// up to the translation threshold; then either the translation that starts here, as
    /// -(index + 1) into the page's translations, or <see cref="Cold"/> when there is none.
    /// (It also pads the slot to 16 bytes, so stepping and indexing are shifts rather than multiplies.)
    /// </summary>
    public int Heat;

    /// <summary><see cref="Heat"/> of an instruction where no translation can start (it is not a fast-path instruction).</summary>
    public const int Cold = int.MinValue;
}

/// <summary>
/// The decoded-instruction cache of one address space: an array of decoded slots per RAM page,
/// built lazily as code runs. Arrays are pinned so the interpreter can walk them by pointer.
/// </summary>
internal sealed unsafe class DecodedCode
{
    /// <summary>Instructions per 4 KiB page, plus one sentinel slot.</summary>
    public const int SlotsPerPage = PhysicalMemory.PageSize / 4;

    private readonly DecodedInstruction[]?[] _pages;
    private readonly nint[] _pointers;
    private readonly List<TranslatedCode>?[] _translations;

    public DecodedCode(int pageCount)
    {
        _pages = new DecodedInstruction[]?[pageCount];
        _pointers = new nint[pageCount];
        _translations = new List<TranslatedCode>?[pageCount];
    }

    /// <summary>
    /// The translation that starts at <paramref name="ip"/> in <paramref name="page"/>, made now if the
    /// instruction has just become hot (see <see cref="DecodedInstruction.Heat"/>); null if none can start there.
    /// </summary>
    public TranslatedCode? TranslationAt(AddressSpace space, int page, DecodedInstruction* ip)
    {
        int heat = ip->Heat;
        if (heat == DecodedInstruction.Cold) return null;
        if (heat < 0) return _translations[page]![-heat - 1];
        var code = Translator.Translate(space, page, (int)(ip - (DecodedInstruction*)_pointers[page]));
        if (code is null) { ip->Heat = DecodedInstruction.Cold; return null; }
        var list = _translations[page] ??= new List<TranslatedCode>();
        list.Add(code);
        ip->Heat = -list.Count;
        return code;
    }

    public bool HasCode(int page) => _pointers[page] != 0;

    /// <summary>The decoded slots of a page, created empty on first use.</summary>
    public DecodedInstruction* PageSlots(int page)
    {
        nint p = _pointers[page];
        if (p != 0) return (DecodedInstruction*)p;
        var slots = GC.AllocateArray<DecodedInstruction>(SlotsPerPage + 1, pinned: true);
        slots[SlotsPerPage].Op = Op.PageEnd;
        _pages[page] = slots;
        p = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref slots[0]);
        _pointers[page] = p;
        return (DecodedInstruction*)p;
    }

    public void Invalidate(int page)
    {
        _pages[page] = null;
        _pointers[page] = 0;
        _translations[page] = null;
        Generation++;
    }

    /// <summary>Bumped on every invalidation, so a running block can tell its page may be stale.</summary>
    public long Generation;
}
