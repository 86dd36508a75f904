using System.Buffers.Binary;
using System.Text;

namespace VirtLab.Programs;

/// <summary>Reads an ELF32 RISC-V executable into a <see cref="ProgramImage"/>, checking every field it relies on.</summary>
/// <remarks>
/// PT_LOAD program headers say what to load. A linker may make a segment start a page early so
/// that it also maps the ELF header and program headers: <c>gcc -Wl,-Ttext=0x80000000</c> gives a
/// first segment at 0x7ffff000, below RAM. So when the file has section headers, the image holds
/// the allocated sections inside each PT_LOAD, one image segment per section, named after it, and
/// leaves out the rest of the segment (headers, padding); QEMU and Spike run such files too. Without
/// section headers each PT_LOAD is loaded whole. Section headers also supply the symbol table. Any
/// inconsistency raises <see cref="ProgramFormatException"/>.
/// </remarks>
internal static class ElfReader
{
    private readonly record struct Section(string Name, uint Type, uint Flags, uint Address, uint Offset, uint Size, uint Link, uint EntrySize);

    public static ProgramImage Read(byte[]? bytes)
    {
        if (bytes is null) throw new ProgramFormatException("ELF: no bytes given");
        try
        {
            return ReadChecked(bytes);
        }
        catch (ProgramFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or DecoderFallbackException)
        {
            // Every field is checked below; this is a safety net so callers only ever see one exception type.
            throw new ProgramFormatException($"ELF: malformed file ({e.Message})", e);
        }
    }

    private static ProgramImage ReadChecked(byte[] bytes)
    {
        if (bytes.Length < Elf32.FileHeaderSize)
            throw Bad($"file is {bytes.Length} bytes, shorter than the {Elf32.FileHeaderSize}-byte ELF header");
        if (!bytes.AsSpan(0, 4).SequenceEqual(Elf32.Magic))
            throw Bad("e_ident magic is not 7f 'E' 'L' 'F'");
        if (bytes[4] != Elf32.ClassElf32) throw Bad($"e_ident[EI_CLASS] is {bytes[4]}, expected 1 (ELFCLASS32)");
        if (bytes[5] != Elf32.DataLittleEndian) throw Bad($"e_ident[EI_DATA] is {bytes[5]}, expected 1 (little-endian)");
        if (bytes[6] != Elf32.CurrentVersion) throw Bad($"e_ident[EI_VERSION] is {bytes[6]}, expected 1");

        ushort type = U16(bytes, 16), machine = U16(bytes, 18);
        if (type != Elf32.TypeExecutable) throw Bad($"e_type is {type}, expected 2 (ET_EXEC)");
        if (machine != Elf32.MachineRiscV) throw Bad($"e_machine is {machine}, expected 243 (EM_RISCV)");
        uint entry = U32(bytes, 24), phoff = U32(bytes, 28), shoff = U32(bytes, 32);
        ushort phentsize = U16(bytes, 42), phnum = U16(bytes, 44), shentsize = U16(bytes, 46), shnum = U16(bytes, 48), shstrndx = U16(bytes, 50);

        if (phnum == 0) throw Bad("e_phnum is 0: no program headers, nothing to load");
        if (phentsize != Elf32.ProgramHeaderSize) throw Bad($"e_phentsize is {phentsize}, expected {Elf32.ProgramHeaderSize}");
        CheckRange(bytes, phoff, (ulong)phnum * phentsize, "program header table (e_phoff)");

        var sections = ReadSections(bytes, shoff, shentsize, shnum, shstrndx);

        var loads = new List<Load>();
        for (int i = 0; i < phnum; i++)
        {
            int at = (int)phoff + i * Elf32.ProgramHeaderSize;
            if (U32(bytes, at) != Elf32.ProgramLoad) continue;
            uint offset = U32(bytes, at + 4), vaddr = U32(bytes, at + 8), filesz = U32(bytes, at + 16), memsz = U32(bytes, at + 20), flags = U32(bytes, at + 24);
            if (filesz > memsz) throw Bad($"program header {i}: p_filesz 0x{filesz:x} is larger than p_memsz 0x{memsz:x}");
            if ((ulong)vaddr + memsz > 1UL << 32) throw Bad($"program header {i}: p_vaddr 0x{vaddr:x} + p_memsz 0x{memsz:x} passes the end of the 32-bit address space");
            CheckRange(bytes, offset, filesz, $"program header {i}: p_offset/p_filesz");
            loads.Add(new Load(i, offset, vaddr, filesz, memsz, (flags & Elf32.FlagExecute) != 0, (flags & Elf32.FlagWrite) != 0));
        }
        if (loads.Count == 0) throw Bad("no PT_LOAD program header: nothing to load");

        var loadable = sections.Where(s => (s.Flags & Elf32.SectionAlloc) != 0 && s.Size > 0
            && !((s.Flags & Elf32.SectionTls) != 0 && s.Type == Elf32.SectionNoBits)).ToList();   // .tbss takes no room in memory
        var segments = loadable.Count == 0
            ? loads.Select(l => new ImageSegment($"segment{l.Index}", l.Address, bytes.AsSpan((int)l.Offset, (int)l.FileSize).ToArray(),
                l.Executable, l.Writable) { MemorySize = l.MemorySize }).ToList()
            : SectionsInSegments(bytes, loads, loadable);
        if (segments.Count == 0) throw Bad("no allocated section lies inside a PT_LOAD segment: nothing to load");

        return new ProgramImage(segments, entry, ReadSymbols(bytes, sections));
    }

    /// <summary>A PT_LOAD program header.</summary>
    private readonly record struct Load(int Index, uint Offset, uint Address, uint FileSize, uint MemorySize, bool Executable, bool Writable);

    /// <summary>
    /// One image segment per allocated section inside a PT_LOAD, with the bytes the segment's file
    /// image has at the section's addresses (zeros past p_filesz, as for .bss).
    /// </summary>
    private static List<ImageSegment> SectionsInSegments(byte[] bytes, List<Load> loads, List<Section> sections)
    {
        var segments = new List<ImageSegment>();
        foreach (var section in sections.OrderBy(s => s.Address))
        {
            ulong start = section.Address, end = start + section.Size;
            var holders = loads.Where(l => start >= l.Address && end <= (ulong)l.Address + l.MemorySize).Take(1).ToList();
            if (holders.Count == 0)
            {
                if (loads.Any(l => start < (ulong)l.Address + l.MemorySize && end > l.Address))
                    throw Bad($"section {section.Name} (0x{start:x}..0x{end:x}) lies partly outside the PT_LOAD segments");
                continue;   // in no segment: no loader puts it in memory
            }
            var load = holders[0];
            ulong fileEnd = (ulong)load.Address + load.FileSize;
            int fileBytes = section.Type == Elf32.SectionNoBits || start >= fileEnd ? 0 : (int)(Math.Min(end, fileEnd) - start);
            int at = (int)(load.Offset + (start - load.Address));
            segments.Add(new ImageSegment(section.Name.Length > 0 ? section.Name : $"segment{load.Index}", section.Address,
                bytes.AsSpan(at, fileBytes).ToArray(), load.Executable, load.Writable) { MemorySize = section.Size });
        }
        return segments;
    }

    private static List<Section> ReadSections(byte[] bytes, uint shoff, ushort shentsize, ushort shnum, ushort shstrndx)
    {
        var sections = new List<Section>();
        if (shnum == 0) return sections;
        if (shentsize != Elf32.SectionHeaderSize) throw Bad($"e_shentsize is {shentsize}, expected {Elf32.SectionHeaderSize}");
        CheckRange(bytes, shoff, (ulong)shnum * shentsize, "section header table (e_shoff/e_shnum)");
        if (shstrndx >= shnum) throw Bad($"e_shstrndx is {shstrndx}, but there are only {shnum} sections");

        var raw = new List<(uint Name, uint Type, uint Flags, uint Address, uint Offset, uint Size, uint Link, uint EntrySize)>();
        for (int i = 0; i < shnum; i++)
        {
            int at = (int)shoff + i * Elf32.SectionHeaderSize;
            raw.Add((U32(bytes, at), U32(bytes, at + 4), U32(bytes, at + 8), U32(bytes, at + 12), U32(bytes, at + 16),
                U32(bytes, at + 20), U32(bytes, at + 24), U32(bytes, at + 36)));
        }
        var names = raw[shstrndx];
        if (shstrndx != 0)
        {
            if (names.Type != Elf32.SectionStringTable) throw Bad($"section {shstrndx} (e_shstrndx) is not a string table");
            CheckRange(bytes, names.Offset, names.Size, "section name table (.shstrtab) sh_offset/sh_size");
        }
        for (int i = 0; i < raw.Count; i++)
        {
            var s = raw[i];
            string name = shstrndx == 0 ? "" : ReadString(bytes, names.Offset, names.Size, s.Name, $"section {i} sh_name");
            sections.Add(new Section(name, s.Type, s.Flags, s.Address, s.Offset, s.Size, s.Link, s.EntrySize));
        }
        return sections;
    }

    private static Dictionary<string, uint> ReadSymbols(byte[] bytes, List<Section> sections)
    {
        var symbols = new Dictionary<string, uint>(StringComparer.Ordinal);
        var globals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var symtab in sections.Where(s => s.Type == Elf32.SectionSymbolTable))
        {
            if (symtab.EntrySize != Elf32.SymbolSize) throw Bad($"{symtab.Name} sh_entsize is {symtab.EntrySize}, expected {Elf32.SymbolSize}");
            CheckRange(bytes, symtab.Offset, symtab.Size, $"{symtab.Name} sh_offset/sh_size");
            if (symtab.Link >= sections.Count) throw Bad($"{symtab.Name} sh_link {symtab.Link} is not a section");
            var strtab = sections[(int)symtab.Link];
            if (strtab.Type != Elf32.SectionStringTable) throw Bad($"{symtab.Name} sh_link does not point to a string table");
            CheckRange(bytes, strtab.Offset, strtab.Size, $"{strtab.Name} sh_offset/sh_size");

            for (uint at = symtab.Offset; at + Elf32.SymbolSize <= symtab.Offset + symtab.Size; at += Elf32.SymbolSize)
            {
                uint nameOffset = U32(bytes, (int)at), value = U32(bytes, (int)at + 4);
                byte info = bytes[at + 12];
                ushort sectionIndex = U16(bytes, (int)at + 14);
                int symbolType = info & 0xF, binding = info >> 4;
                if (sectionIndex == Elf32.SectionIndexUndefined || symbolType is Elf32.TypeSection or Elf32.TypeFile) continue;
                string name = ReadString(bytes, strtab.Offset, strtab.Size, nameOffset, "symbol st_name");
                // Skip unnamed symbols and RISC-V mapping symbols ($x, $d) that mark code and data.
                if (name.Length == 0 || name.StartsWith('$')) continue;
                bool global = binding == Elf32.BindGlobal;
                if (!symbols.ContainsKey(name) || (global && !globals.Contains(name)))
                {
                    symbols[name] = value;
                    if (global) globals.Add(name);
                }
            }
        }
        return symbols;
    }

    private static string ReadString(byte[] bytes, uint tableOffset, uint tableSize, uint index, string field)
    {
        if (index >= tableSize) throw Bad($"{field} {index} is outside its string table of {tableSize} bytes");
        var table = bytes.AsSpan((int)tableOffset, (int)tableSize);
        int end = table[(int)index..].IndexOf((byte)0);
        if (end < 0) throw Bad($"{field} {index} is not NUL-terminated");
        return Encoding.UTF8.GetString(table.Slice((int)index, end));
    }

    private static void CheckRange(byte[] bytes, uint offset, ulong size, string what)
    {
        if (offset + size > (ulong)bytes.Length)
            throw Bad($"{what}: bytes 0x{offset:x}..0x{offset + size:x} lie outside the {bytes.Length}-byte file");
    }

    private static ushort U16(byte[] bytes, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset, 2));
    private static uint U32(byte[] bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset, 4));

    private static ProgramFormatException Bad(string message) => new("ELF: " + message);
}
