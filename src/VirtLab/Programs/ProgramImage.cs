namespace VirtLab.Programs;

/// <summary>
/// A loadable program: segments of bytes at addresses, an entry point, and a symbol table.
/// </summary>
/// <remarks>
/// This is what the assembler produces and what the machine loads. <see cref="ToElf"/> and
/// <see cref="FromElf"/> convert to and from the ELF32 executable format, so programs built with the
/// GNU toolchain can be run and ours can be inspected with <c>readelf</c> and <c>objdump</c>.
/// </remarks>
public sealed class ProgramImage
{
    private readonly Dictionary<string, uint> _symbols;

    public ProgramImage(IEnumerable<ImageSegment> segments, uint entry, IReadOnlyDictionary<string, uint> symbols)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(symbols);
        Segments = [.. segments];
        Entry = entry;
        _symbols = new Dictionary<string, uint>(symbols, StringComparer.Ordinal);
    }

    /// <summary>The segments in address order of creation (for assembled programs: .text, .data, other sections, .bss).</summary>
    public IReadOnlyList<ImageSegment> Segments { get; }

    /// <summary>The address of the first instruction to execute.</summary>
    public uint Entry { get; }

    /// <summary>Symbol name to address, e.g. <c>_start</c> or <c>tohost</c>.</summary>
    public IReadOnlyDictionary<string, uint> Symbols => _symbols;

    /// <summary>Looks up a symbol's address.</summary>
    public bool TryGetSymbol(string name, out uint address) => _symbols.TryGetValue(name, out address);

    /// <summary>The segment containing <paramref name="address"/>, if any.</summary>
    public ImageSegment? SegmentAt(uint address) => Segments.FirstOrDefault(s => s.Contains(address));

    /// <summary>Reads a little-endian word from the image (zero for .bss), or returns false if it is not inside one segment.</summary>
    public bool TryReadWord(uint address, out uint word)
    {
        word = 0;
        var segment = SegmentAt(address);
        if (segment is null || (ulong)address + 4 > segment.EndAddress) return false;
        for (int i = 0; i < 4; i++)
        {
            long offset = address - segment.Address + i;
            uint value = offset < segment.Bytes.Length ? segment.Bytes[offset] : 0u;
            word |= value << (8 * i);
        }
        return true;
    }

    /// <summary>Writes the image as an ELF32 little-endian RISC-V executable with one PT_LOAD per segment and a symbol table.</summary>
    public byte[] ToElf() => ElfWriter.Write(this);

    /// <summary>Reads an ELF32 little-endian RISC-V executable.</summary>
    /// <exception cref="ProgramFormatException">The bytes are not such a file; the message says which field is wrong.</exception>
    public static ProgramImage FromElf(byte[] bytes) => ElfReader.Read(bytes);
}
