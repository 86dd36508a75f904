using System.Text;
using VirtLab.Assembly;
using VirtLab.Programs;

namespace VirtLab.Tests.Assembly;

/// <summary>
/// Assembles the sources in Assembly/Sources with VirtLab and with GNU as + ld, and compares the bytes.
/// </summary>
/// <remarks>
/// The linker script is generated from VirtLab's own layout (section order and 16-byte section
/// alignment), so any difference in the bytes or in a symbol's address is a difference between the
/// two assemblers. Requires binutils-riscv64-unknown-elf; skipped without it unless CI=true.
/// </remarks>
public class GnuDifferentialTests
{
    private const string GnuAs = "riscv64-unknown-elf-as";
    private const string GnuLd = "riscv64-unknown-elf-ld";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    public static string SourcesDirectory => Path.Combine(AppContext.BaseDirectory, "Assembly", "Sources");

    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(SourcesDirectory, "*.s").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void SourcesAreCopiedToTheOutput()
    {
        Assert.True(Directory.Exists(SourcesDirectory), $"missing {SourcesDirectory}: copy Assembly/Sources/** to the output directory");
        Assert.NotEmpty(Directory.GetFiles(SourcesDirectory, "*.s"));
    }

    [SkippableTheory]
    [MemberData(nameof(Sources))]
    public void BytesMatchGnuAs(string sourceName)
    {
        string assembler = ExternalTools.Require(GnuAs);
        string linker = ExternalTools.Require(GnuLd);

        string source = File.ReadAllText(Path.Combine(SourcesDirectory, sourceName));
        var ours = Assembler.Assemble(source, sourceName);
        Assert.True(ours.Success, ours.DiagnosticsText());
        var program = ours.Program!;

        var gnu = AssembleWithGnu(assembler, linker, sourceName, program);

        var mismatches = new StringBuilder();
        int compared = 0;
        foreach (var segment in program.Segments)
        {
            bool code = segment.Executable;
            int step = code ? 4 : 1;
            for (uint offset = 0; offset < segment.MemorySize; offset += (uint)step)
            {
                uint address = segment.Address + offset;
                int width = (int)Math.Min((uint)step, segment.MemorySize - offset);
                uint mine = ReadLittleEndian(program, address, width) ?? 0;
                uint? theirs = ReadLittleEndian(gnu, address, width);
                compared++;
                if (theirs == mine) continue;
                string line = ours.Listing.FirstOrDefault(l => l.Address == address)?.Source ?? "";
                if (theirs is null)
                    mismatches.AppendLine($"0x{address:x8} [{segment.Name}]: GNU has no byte here; VirtLab 0x{mine:x}   {line}");
                else if (code && width == 4)
                    mismatches.AppendLine($"0x{address:x8} [{segment.Name}]: VirtLab 0x{mine:x8} '{Disassembler.Disassemble(mine, address)}'"
                        + $"  GNU 0x{theirs:x8} '{Disassembler.Disassemble(theirs.Value, address)}'   source: {line}");
                else
                    mismatches.AppendLine($"0x{address:x8} [{segment.Name}]: VirtLab 0x{mine:x2}  GNU 0x{theirs:x2}");
            }
        }

        foreach (var (name, address) in program.Symbols)
        {
            if (gnu.TryGetSymbol(name, out uint gnuAddress) && gnuAddress != address)
                mismatches.AppendLine($"symbol {name}: VirtLab 0x{address:x8}  GNU 0x{gnuAddress:x8}");
        }
        if (program.Entry != gnu.Entry)
            mismatches.AppendLine($"entry: VirtLab 0x{program.Entry:x8}  GNU 0x{gnu.Entry:x8}");

        Assert.True(compared > 0, "nothing was compared");
        Assert.True(mismatches.Length == 0, $"{sourceName} differs from GNU as:\n{mismatches}");
    }

    /// <summary>Assembles and links with GNU binutils using a linker script that mirrors VirtLab's layout.</summary>
    private static ProgramImage AssembleWithGnu(string assembler, string linker, string sourceName, ProgramImage layout)
    {
        string work = Path.Combine(Path.GetTempPath(), "virtlab-gnu-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string source = Path.Combine(SourcesDirectory, sourceName);
            string obj = Path.Combine(work, "program.o"), exe = Path.Combine(work, "program.elf"), script = Path.Combine(work, "layout.ld");
            File.WriteAllText(script, LinkerScript(layout));
            ExternalTools.RunChecked(assembler, ["-march=rv32im_zicsr_zifencei", "-mabi=ilp32", "-mno-relax", "-o", obj, source], ToolTimeout);
            ExternalTools.RunChecked(linker, ["-m", "elf32lriscv", "--no-relax", "-T", script, "-o", exe, obj], ToolTimeout);
            return ProgramImage.FromElf(File.ReadAllBytes(exe));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>.text at the entry base, then every other section at the next 16-byte boundary, in VirtLab's order.</summary>
    public static string LinkerScript(ProgramImage layout)
    {
        var script = new StringBuilder();
        script.AppendLine("ENTRY(_start)");
        script.AppendLine("SECTIONS");
        script.AppendLine("{");
        script.AppendLine($"  . = 0x{layout.Segments[0].Address:x};");
        foreach (var segment in layout.Segments)
        {
            script.AppendLine("  . = ALIGN(16);");
            script.AppendLine($"  {segment.Name} : {{ *({segment.Name}) }}");
        }
        script.AppendLine("}");
        return script.ToString();
    }

    private static uint? ReadLittleEndian(ProgramImage image, uint address, int width)
    {
        uint value = 0;
        for (int i = 0; i < width; i++)
        {
            var segment = image.SegmentAt(address + (uint)i);
            if (segment is null) return null;
            long offset = address + i - segment.Address;
            uint b = offset < segment.Bytes.Length ? segment.Bytes[offset] : 0u;
            value |= b << (8 * i);
        }
        return value;
    }
}
