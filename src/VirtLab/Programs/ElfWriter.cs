using System.Buffers.Binary;
using System.Text;

namespace VirtLab.Programs;

/// <summary>Writes a <see cref="ProgramImage"/> as an ELF32 executable.</summary>
/// <remarks>
/// File layout: header, program headers, segment contents, .symtab, .strtab, .shstrtab, section headers.
/// Section 0 is the mandatory null section; sections 1..n mirror the n segments.
/// </remarks>
internal static class ElfWriter
{
    private const uint SegmentAlignment = 4;

    public static byte[] Write(ProgramImage image)
    {
        var segments = image.Segments;
        var file = new List<byte>();
        file.AddRange(new byte[Elf32.FileHeaderSize + Elf32.ProgramHeaderSize * segments.Count]);

        // Segment contents, each at a file offset congruent to its address (what loaders expect).
        var segmentOffsets = new uint[segments.Count];
        for (int i = 0; i < segments.Count; i++)
        {
            while (file.Count % SegmentAlignment != segments[i].Address % SegmentAlignment) file.Add(0);
            segmentOffsets[i] = (uint)file.Count;
            file.AddRange(segments[i].Bytes);
        }

        // Section header string table: names of every section.
        var sectionNames = new StringTable();
        var segmentNameOffsets = segments.Select(s => sectionNames.Add(s.Name)).ToArray();
        uint symtabName = sectionNames.Add(".symtab");
        uint strtabName = sectionNames.Add(".strtab");
        uint shstrtabName = sectionNames.Add(".shstrtab");

        int symtabIndex = segments.Count + 1, strtabIndex = segments.Count + 2, shstrtabIndex = segments.Count + 3;

        // Symbol table: the null symbol, then every symbol as a global.
        var symbolNames = new StringTable();
        var symbols = new List<byte>(new byte[Elf32.SymbolSize]);
        foreach (var (name, address) in image.Symbols.OrderBy(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal))
        {
            var entry = new byte[Elf32.SymbolSize];
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(0), symbolNames.Add(name));
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), address);
            // HTIF words are 8 bytes by definition, and QEMU refuses a tohost of any other size.
            if (name is "tohost" or "fromhost") BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), 8);
            entry[12] = (byte)(Elf32.BindGlobal << 4 | Elf32.TypeNoType);
            int segment = IndexOfSegmentContaining(segments, address);
            ushort sectionIndex = segment < 0 ? Elf32.SectionIndexAbsolute : (ushort)(segment + 1);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(14), sectionIndex);
            symbols.AddRange(entry);
        }

        uint symtabOffset = Append(file, symbols, 4);
        uint strtabOffset = Append(file, symbolNames.Bytes, 1);
        uint shstrtabOffset = Append(file, sectionNames.Bytes, 1);
        while (file.Count % 4 != 0) file.Add(0);
        uint sectionHeaderOffset = (uint)file.Count;

        var headers = new List<byte>(new byte[Elf32.SectionHeaderSize]); // the null section
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            uint flags = Elf32.SectionAlloc | (s.Writable ? Elf32.SectionWrite : 0) | (s.Executable ? Elf32.SectionExecute : 0);
            bool noBits = s.Bytes.Length == 0 && s.MemorySize > 0;
            headers.AddRange(SectionHeader(segmentNameOffsets[i], noBits ? Elf32.SectionNoBits : Elf32.SectionProgBits, flags,
                s.Address, segmentOffsets[i], noBits ? s.MemorySize : (uint)s.Bytes.Length, 0, 0, SegmentAlignment, 0));
        }
        headers.AddRange(SectionHeader(symtabName, Elf32.SectionSymbolTable, 0, 0, symtabOffset, (uint)symbols.Count,
            (uint)strtabIndex, 1, 4, Elf32.SymbolSize));
        headers.AddRange(SectionHeader(strtabName, Elf32.SectionStringTable, 0, 0, strtabOffset, (uint)symbolNames.Bytes.Count, 0, 0, 1, 0));
        headers.AddRange(SectionHeader(shstrtabName, Elf32.SectionStringTable, 0, 0, shstrtabOffset, (uint)sectionNames.Bytes.Count, 0, 0, 1, 0));
        file.AddRange(headers);

        byte[] bytes = [.. file];
        WriteFileHeader(bytes, image.Entry, segments.Count, sectionHeaderOffset, shstrtabIndex + 1, shstrtabIndex);
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            uint flags = Elf32.FlagRead | (s.Writable ? Elf32.FlagWrite : 0) | (s.Executable ? Elf32.FlagExecute : 0);
            var ph = bytes.AsSpan(Elf32.FileHeaderSize + i * Elf32.ProgramHeaderSize, Elf32.ProgramHeaderSize);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[0..], Elf32.ProgramLoad);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], segmentOffsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[8..], s.Address);   // p_vaddr
            BinaryPrimitives.WriteUInt32LittleEndian(ph[12..], s.Address);  // p_paddr
            BinaryPrimitives.WriteUInt32LittleEndian(ph[16..], (uint)s.Bytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[20..], s.MemorySize);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[24..], flags);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[28..], SegmentAlignment);
        }
        return bytes;
    }

    private static void WriteFileHeader(byte[] bytes, uint entry, int programHeaders, uint sectionHeaderOffset, int sections, int shstrtabIndex)
    {
        var h = bytes.AsSpan(0, Elf32.FileHeaderSize);
        Elf32.Magic.CopyTo(h);
        h[4] = Elf32.ClassElf32;
        h[5] = Elf32.DataLittleEndian;
        h[6] = Elf32.CurrentVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(h[16..], Elf32.TypeExecutable);
        BinaryPrimitives.WriteUInt16LittleEndian(h[18..], Elf32.MachineRiscV);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], Elf32.CurrentVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], entry);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], programHeaders > 0 ? (uint)Elf32.FileHeaderSize : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h[32..], sectionHeaderOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(h[36..], 0); // e_flags: soft-float ABI, no compressed instructions
        BinaryPrimitives.WriteUInt16LittleEndian(h[40..], Elf32.FileHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[42..], Elf32.ProgramHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[44..], (ushort)programHeaders);
        BinaryPrimitives.WriteUInt16LittleEndian(h[46..], Elf32.SectionHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[48..], (ushort)sections);
        BinaryPrimitives.WriteUInt16LittleEndian(h[50..], (ushort)shstrtabIndex);
    }

    private static byte[] SectionHeader(uint name, uint type, uint flags, uint address, uint offset, uint size,
        uint link, uint info, uint alignment, uint entrySize)
    {
        var h = new byte[Elf32.SectionHeaderSize];
        uint[] fields = [name, type, flags, address, offset, size, link, info, alignment, entrySize];
        for (int i = 0; i < fields.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4 * i), fields[i]);
        return h;
    }

    private static uint Append(List<byte> file, IReadOnlyCollection<byte> data, int alignment)
    {
        while (file.Count % alignment != 0) file.Add(0);
        uint offset = (uint)file.Count;
        file.AddRange(data);
        return offset;
    }

    private static int IndexOfSegmentContaining(IReadOnlyList<ImageSegment> segments, uint address)
    {
        for (int i = 0; i < segments.Count; i++)
            if (segments[i].Contains(address) || (segments[i].MemorySize == 0 && segments[i].Address == address)) return i;
        // A label just past the end of a segment (e.g. "_end") still belongs to it.
        for (int i = 0; i < segments.Count; i++)
            if (segments[i].EndAddress == address) return i;
        return -1;
    }

    /// <summary>An ELF string table: NUL-terminated names, referred to by byte offset; offset 0 is the empty name.</summary>
    private sealed class StringTable
    {
        private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal) { [""] = 0 };
        public List<byte> Bytes { get; } = [0];

        public uint Add(string name)
        {
            if (_offsets.TryGetValue(name, out uint offset)) return offset;
            offset = (uint)Bytes.Count;
            Bytes.AddRange(Encoding.UTF8.GetBytes(name));
            Bytes.Add(0);
            _offsets[name] = offset;
            return offset;
        }
    }
}
