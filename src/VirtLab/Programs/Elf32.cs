namespace VirtLab.Programs;

/// <summary>
/// The constants of the ELF32 format that VirtLab reads and writes (System V gABI and the RISC-V psABI).
/// </summary>
/// <remarks>
/// An ELF executable starts with a 52-byte file header. It points to a program header table, which a
/// loader uses (one PT_LOAD entry per piece of memory to fill), and a section header table, which
/// tools such as objdump use (.text, .data, .symtab...). Everything is little-endian for RISC-V.
/// </remarks>
internal static class Elf32
{
    public const int FileHeaderSize = 52;
    public const int ProgramHeaderSize = 32;
    public const int SectionHeaderSize = 40;
    public const int SymbolSize = 16;

    public static ReadOnlySpan<byte> Magic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];
    public const byte ClassElf32 = 1;
    public const byte DataLittleEndian = 1;
    public const byte CurrentVersion = 1;

    public const ushort TypeExecutable = 2;   // ET_EXEC
    public const ushort MachineRiscV = 243;   // EM_RISCV

    public const uint ProgramLoad = 1;        // PT_LOAD
    public const uint FlagExecute = 1;        // PF_X
    public const uint FlagWrite = 2;          // PF_W
    public const uint FlagRead = 4;           // PF_R

    public const uint SectionNull = 0;        // SHT_NULL
    public const uint SectionProgBits = 1;    // SHT_PROGBITS
    public const uint SectionSymbolTable = 2; // SHT_SYMTAB
    public const uint SectionStringTable = 3; // SHT_STRTAB
    public const uint SectionNoBits = 8;      // SHT_NOBITS

    public const uint SectionWrite = 1;       // SHF_WRITE
    public const uint SectionAlloc = 2;       // SHF_ALLOC
    public const uint SectionExecute = 4;     // SHF_EXECINSTR
    public const uint SectionTls = 0x400;     // SHF_TLS

    public const ushort SectionIndexUndefined = 0;     // SHN_UNDEF
    public const ushort SectionIndexAbsolute = 0xFFF1; // SHN_ABS

    public const byte BindLocal = 0;
    public const byte BindGlobal = 1;
    public const byte TypeNoType = 0;
    public const byte TypeSection = 3;
    public const byte TypeFile = 4;
}
