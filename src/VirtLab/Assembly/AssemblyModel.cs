using VirtLab.Machine;

namespace VirtLab.Assembly;

/// <summary>One statement of source: labels, then an optional mnemonic or directive with comma-separated operands.</summary>
internal sealed record Statement(int Line, IReadOnlyList<Token> Labels, Token? Mnemonic, IReadOnlyList<IReadOnlyList<Token>> Operands,
    Token? AssignedSymbol, IReadOnlyList<Token> AssignedValue)
{
    /// <summary>The first token of the statement, for errors that concern the whole statement.</summary>
    public required Token Start { get; init; }
}

/// <summary>How an immediate operand turns into the bits of an instruction.</summary>
internal enum ImmediateKind
{
    /// <summary>The value itself, range-checked for the field.</summary>
    Value,
    /// <summary><c>%hi(x)</c>: the upper 20 bits, rounded so that adding <c>%lo(x)</c> gives x.</summary>
    Hi,
    /// <summary><c>%lo(x)</c>: the sign-extended low 12 bits.</summary>
    Lo,
    /// <summary><c>%pcrel_hi(x)</c>: the upper 20 bits of x minus the address of this (auipc) instruction.</summary>
    PcrelHi,
    /// <summary><c>%pcrel_lo(label)</c>: the low 12 bits matching the <c>%pcrel_hi</c> of the auipc at label.</summary>
    PcrelLo,
    /// <summary>The low 12 bits of the pc-relative offset from the auipc at <see cref="Immediate.AnchorOffset"/> to x (used by la, call, tail).</summary>
    PcrelLoFromAnchor,
    /// <summary>A branch or jump target address; the offset from this instruction is encoded.</summary>
    Target,
}

internal sealed record Immediate(ImmediateKind Kind, Expression Value, Token At)
{
    public uint AnchorOffset { get; init; }
}

/// <summary>A real instruction with its operands parsed; immediates are evaluated after layout.</summary>
internal sealed record MachineInstruction(InstructionDefinition Definition, int Rd, int Rs1, int Rs2, int Csr, Immediate? Immediate);

/// <summary>A piece of a section's contents, sized in the first pass and filled in the second.</summary>
internal abstract record Fragment(uint Offset, uint Size, Statement Source);

internal sealed record InstructionFragment(uint Offset, MachineInstruction Instruction, Statement Source) : Fragment(Offset, 4, Source);

internal sealed record DataFragment(uint Offset, int Width, IReadOnlyList<Expression> Values, Statement Source)
    : Fragment(Offset, (uint)(Width * Values.Count), Source);

internal sealed record BytesFragment(uint Offset, byte[] Bytes, Statement Source) : Fragment(Offset, (uint)Bytes.Length, Source);

/// <summary>Size bytes of a repeating pattern: .space fill bytes, or alignment padding (nops in code).</summary>
internal sealed record FillFragment(uint Offset, uint Size, byte Fill, bool CodePadding, Statement Source) : Fragment(Offset, Size, Source);

/// <summary>A section being assembled: contents are added at the end, its address is chosen after the first pass.</summary>
internal sealed class Section(string name, bool executable, bool writable, bool noBits, int order)
{
    public string Name { get; } = name;
    public bool Executable { get; } = executable;
    public bool Writable { get; } = writable;
    /// <summary>True for .bss-like sections: zero-filled memory with no bytes in the file.</summary>
    public bool NoBits { get; } = noBits;
    public int Order { get; } = order;
    public uint Alignment { get; set; } = executable ? 4u : 1u;
    public uint Size { get; private set; }
    public uint Base { get; set; }
    public List<Fragment> Fragments { get; } = [];

    public void Add(Fragment fragment)
    {
        Fragments.Add(fragment);
        Size += fragment.Size;
    }
}

/// <summary>What a symbol name stands for.</summary>
internal abstract record SymbolDefinition(Token At);

/// <summary>A label: an offset in a section, an address once sections are placed.</summary>
internal sealed record LabelSymbol(Token At, Section Section, uint Offset) : SymbolDefinition(At);

/// <summary>A symbol given a value by <c>.equ</c>, <c>.set</c> or <c>name = value</c>.</summary>
internal sealed record EquatedSymbol(Token At, Expression Value) : SymbolDefinition(At);
