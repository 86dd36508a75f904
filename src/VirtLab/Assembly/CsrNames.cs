namespace VirtLab.Assembly;

/// <summary>
/// Names of the control and status registers (CSRs) and their 12-bit numbers, as GNU as spells them.
/// </summary>
/// <remarks>
/// A CSR number encodes its own access rules: bits 11:10 are <c>0b11</c> for read-only registers and
/// bits 9:8 give the lowest privilege level allowed to touch it (0 = user, 1 = supervisor, 3 = machine).
/// So <c>cycle</c> (0xC00) is a read-only user counter while <c>mstatus</c> (0x300) is a read/write
/// machine register.
/// </remarks>
public static class CsrNames
{
    private static readonly Dictionary<string, ushort> NumberByName = new(StringComparer.Ordinal);
    private static readonly Dictionary<ushort, string> NameByNumber = [];

    static CsrNames()
    {
        // Unprivileged counters and timers (read-only shadows of the machine counters).
        Add("cycle", 0xC00);
        Add("time", 0xC01);
        Add("instret", 0xC02);
        for (int i = 3; i <= 31; i++) Add($"hpmcounter{i}", 0xC00 + i);
        Add("cycleh", 0xC80);
        Add("timeh", 0xC81);
        Add("instreth", 0xC82);
        for (int i = 3; i <= 31; i++) Add($"hpmcounter{i}h", 0xC80 + i);

        // Supervisor level.
        Add("sstatus", 0x100);
        // Retired in privileged spec 1.12 together with the N extension. GNU as still accepts
        // the names, so ours does too, but both disassemblers print the bare number.
        AddRetired("sedeleg", 0x102);
        AddRetired("sideleg", 0x103);
        Add("sie", 0x104);
        Add("stvec", 0x105);
        Add("scounteren", 0x106);
        Add("senvcfg", 0x10A);
        Add("sscratch", 0x140);
        Add("sepc", 0x141);
        Add("scause", 0x142);
        Add("stval", 0x143);
        Add("sip", 0x144);
        Add("satp", 0x180);

        // Machine information registers.
        Add("mvendorid", 0xF11);
        Add("marchid", 0xF12);
        Add("mimpid", 0xF13);
        Add("mhartid", 0xF14);
        Add("mconfigptr", 0xF15);

        // Machine trap setup and handling.
        Add("mstatus", 0x300);
        Add("misa", 0x301);
        Add("medeleg", 0x302);
        Add("mideleg", 0x303);
        Add("mie", 0x304);
        Add("mtvec", 0x305);
        Add("mcounteren", 0x306);
        Add("menvcfg", 0x30A);
        Add("mstatush", 0x310);
        Add("menvcfgh", 0x31A);
        Add("mcountinhibit", 0x320);
        for (int i = 3; i <= 31; i++) Add($"mhpmevent{i}", 0x320 + i);
        Add("mscratch", 0x340);
        Add("mepc", 0x341);
        Add("mcause", 0x342);
        Add("mtval", 0x343);
        Add("mip", 0x344);
        Add("mtinst", 0x34A);
        Add("mtval2", 0x34B);

        // Physical memory protection.
        for (int i = 0; i <= 15; i++) Add($"pmpcfg{i}", 0x3A0 + i);
        for (int i = 0; i <= 63; i++) Add($"pmpaddr{i}", 0x3B0 + i);

        // Machine counters.
        Add("mcycle", 0xB00);
        Add("minstret", 0xB02);
        for (int i = 3; i <= 31; i++) Add($"mhpmcounter{i}", 0xB00 + i);
        Add("mcycleh", 0xB80);
        Add("minstreth", 0xB82);
        for (int i = 3; i <= 31; i++) Add($"mhpmcounter{i}h", 0xB80 + i);

        // Debug and trigger registers.
        Add("tselect", 0x7A0);
        Add("tdata1", 0x7A1);
        Add("tdata2", 0x7A2);
        Add("tdata3", 0x7A3);
        Add("dcsr", 0x7B0);
        Add("dpc", 0x7B1);
        Add("dscratch0", 0x7B2);
        Add("dscratch1", 0x7B3);
    }

    /// <summary>The largest CSR number: CSR addresses are 12 bits wide.</summary>
    public const int MaxNumber = 0xFFF;

    /// <summary>Every known CSR, name to number.</summary>
    public static IReadOnlyDictionary<string, ushort> All => NumberByName;

    /// <summary>Looks up a CSR number by its name, e.g. <c>"mtvec"</c> gives 0x305.</summary>
    public static bool TryGetNumber(string name, out ushort number) =>
        NumberByName.TryGetValue(name.ToLowerInvariant(), out number);

    /// <summary>Looks up the name of a CSR number, e.g. 0x305 gives <c>"mtvec"</c>.</summary>
    public static bool TryGetName(int number, out string name)
    {
        if (number is >= 0 and <= MaxNumber && NameByNumber.TryGetValue((ushort)number, out var found))
        {
            name = found;
            return true;
        }
        name = "";
        return false;
    }

    /// <summary>The name of a CSR, or its number in hex (<c>0x7c0</c>) when it has no name, as objdump prints it.</summary>
    public static string NameOrNumber(int number) =>
        TryGetName(number, out var name) ? name : $"0x{number:x}";

    private static void Add(string name, int number)
    {
        NumberByName.Add(name, (ushort)number);
        NameByNumber.Add((ushort)number, name);
    }

    /// <summary>A name the assembler reads but the disassembler no longer prints.</summary>
    private static void AddRetired(string name, int number) => NumberByName.Add(name, (ushort)number);
}
