namespace VirtLab.Assembly;

/// <summary>
/// The 32 integer registers of RISC-V and their names.
/// </summary>
/// <remarks>
/// Every register has an architectural name <c>x0</c>..<c>x31</c> and an ABI name that says how the
/// calling convention uses it: <c>zero</c> is hard-wired to 0, <c>ra</c> holds the return address,
/// <c>sp</c> the stack pointer, <c>a0</c>..<c>a7</c> carry arguments and results, <c>t0</c>..<c>t6</c> are
/// temporaries a callee may clobber and <c>s0</c>..<c>s11</c> are saved registers a callee must preserve.
/// <c>fp</c> (frame pointer) is another name for <c>s0</c>.
/// </remarks>
public static class RegisterNames
{
    /// <summary>Number of integer registers in RV32I.</summary>
    public const int Count = 32;

    private static readonly string[] AbiNames =
    [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
        "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
        "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ];

    private static readonly Dictionary<string, int> NumberByName = BuildNameTable();

    /// <summary>The ABI names indexed by register number (<c>Abi[10] == "a0"</c>).</summary>
    public static IReadOnlyList<string> Abi => AbiNames;

    /// <summary>The ABI name of register <paramref name="number"/>, e.g. <c>"a0"</c> for 10.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The number is not 0..31.</exception>
    public static string AbiName(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(number, Count);
        return AbiNames[number];
    }

    /// <summary>Looks up a register by ABI name (<c>a0</c>, <c>fp</c>) or architectural name (<c>x10</c>).</summary>
    public static bool TryParse(string name, out int number) =>
        NumberByName.TryGetValue(name.ToLowerInvariant(), out number);

    private static Dictionary<string, int> BuildNameTable()
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Count; i++)
        {
            table[AbiNames[i]] = i;
            table["x" + i] = i;
        }
        table["fp"] = 8;
        return table;
    }
}
