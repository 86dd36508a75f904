using System.Runtime.InteropServices;

namespace VirtLab.Machine;

/// <summary>
/// The operations the interpreter's fast path knows. Everything else (CSR access, ecall, mret,
/// wfi, fence.i, illegal words) decodes to <see cref="Slow"/> and is executed by the reference
/// interpreter in <see cref="Hart"/>'s slow path, which reads the raw word again.
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
    /// <summary>Pads the slot to 16 bytes, so stepping and indexing are shifts rather than multiplies.</summary>
    private readonly uint _padding;
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

    public DecodedCode(int pageCount)
    {
        _pages = new DecodedInstruction[]?[pageCount];
        _pointers = new nint[pageCount];
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
        Generation++;
    }

    /// <summary>Bumped on every invalidation, so a running block can tell its page may be stale.</summary>
    public long Generation;
}
