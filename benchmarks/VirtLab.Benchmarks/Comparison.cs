using System.Globalization;

namespace VirtLab.Benchmarks;

/// <summary>One row of the side-by-side table.</summary>
public sealed record ComparisonRow(string Program, ulong Instructions, double VirtLabMips, double? QemuMips, string? QemuNote);

/// <summary>Measures QEMU on the same ELFs and prints VirtLab MIPS, QEMU MIPS and their ratio.</summary>
public static class Comparison
{
    /// <summary>QEMU runs per program; the best is kept (QEMU runs take a fraction of a second, so noise matters).</summary>
    public const int QemuRuns = 5;

    /// <summary>
    /// Builds the table rows from VirtLab's figures, timing QEMU on the same programs unless it is
    /// missing or <paramref name="skipQemu"/>.
    /// </summary>
    public static List<ComparisonRow> Compare(IReadOnlyList<(GuestProgram Program, ulong Instructions, double Mips)> virtlab, bool skipQemu, TextWriter log)
    {
        string? qemu = skipQemu ? null : Qemu.Find();
        string note = skipQemu ? "skipped (--no-qemu)" : $"{Qemu.Executable} not found (apt-get install qemu-system-misc)";
        var rows = new List<ComparisonRow>();
        if (qemu is null)
        {
            foreach (var (program, instructions, mips) in virtlab) rows.Add(new(program.Name, instructions, mips, null, note));
            return rows;
        }

        string directory = Path.Combine(Path.GetTempPath(), "virtlab-benchmarks");
        string trivial = GuestProgram.Load("trivial").WriteElf(directory);
        var startup = Qemu.BestTime(qemu, trivial, QemuRuns + 2);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"QEMU start-up (trivial program, best of {QemuRuns + 2}): {startup.TotalMilliseconds:F0} ms"));
        foreach (var (program, instructions, mips) in virtlab)
        {
            var total = Qemu.BestTime(qemu, program.WriteElf(directory), QemuRuns);
            double seconds = (total - startup).TotalSeconds;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"QEMU {program.Name}: best of {QemuRuns} {total.TotalMilliseconds:F0} ms, {seconds * 1000:F0} ms after start-up"));
            if (seconds <= 0.01)
                rows.Add(new(program.Name, instructions, mips, null, "too fast to time against QEMU's start-up"));
            else
                rows.Add(new(program.Name, instructions, mips, instructions / seconds / 1e6, null));
        }
        return rows;
    }

    public static void PrintTable(IEnumerable<ComparisonRow> rows, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine("| program | guest instructions | VirtLab MIPS | QEMU TCG MIPS | VirtLab / QEMU |");
        output.WriteLine("|---------|-------------------:|-------------:|--------------:|---------------:|");
        foreach (var row in rows)
        {
            string qemu = row.QemuMips is double q ? q.ToString("F0", inv) : row.QemuNote ?? "n/a";
            string ratio = row.QemuMips is double r
                ? (row.VirtLabMips / r).ToString("F3", inv) + (r > row.VirtLabMips
                    ? string.Create(inv, $" (QEMU {r / row.VirtLabMips:F1}x faster)")
                    : string.Create(inv, $" (VirtLab {row.VirtLabMips / r:F1}x faster)"))
                : "n/a";
            output.WriteLine(string.Create(inv, $"| {row.Program} | {row.Instructions:N0} | {row.VirtLabMips:F1} | {qemu} | {ratio} |"));
        }
        output.WriteLine();
    }
}
