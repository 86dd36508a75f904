using VirtLab.Assembly;
using VirtLab.Machine;
using VirtLab.Programs;

namespace VirtLab.Benchmarks;

/// <summary>A benchmark program: its source, assembled by VirtLab, and written as an ELF for QEMU.</summary>
public sealed class GuestProgram
{
    private GuestProgram(string name, ProgramImage image)
    {
        Name = name;
        Image = image;
        Elf = image.ToElf();
    }

    public string Name { get; }
    public ProgramImage Image { get; }
    public byte[] Elf { get; }

    /// <summary>Assembles Programs/<paramref name="name"/>.s (embedded in this assembly).</summary>
    public static GuestProgram Load(string name)
    {
        using var stream = typeof(GuestProgram).Assembly.GetManifestResourceStream($"Programs/{name}.s")
            ?? throw new InvalidOperationException($"benchmark program Programs/{name}.s is not embedded");
        string source = new StreamReader(stream).ReadToEnd();
        var result = Assembler.Assemble(source, $"{name}.s");
        if (!result.Success) throw new InvalidOperationException($"{name}.s does not assemble:\n{result.DiagnosticsText()}");
        return new GuestProgram(name, result.Program!);
    }

    /// <summary>
    /// Runs the program to its end on a fresh machine; throws unless it passes.
    /// <paramref name="translationThreshold"/> 0 runs it on the interpreter alone.
    /// </summary>
    public RunResult Run(int translationThreshold = AddressSpace.DefaultTranslationThreshold)
    {
        var machine = new Machine.Machine();
        if (machine.Load(Image) is string problem) throw new InvalidOperationException($"{Name}: {problem}");
        machine.Bus.TranslationThreshold = translationThreshold;
        var result = machine.Run(long.MaxValue);
        if (!result.Passed) throw new InvalidOperationException($"{Name} did not pass on VirtLab: {result.Message}");
        return result;
    }

    /// <summary>Writes the ELF to <paramref name="directory"/> and returns its path.</summary>
    public string WriteElf(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, Name + ".elf");
        File.WriteAllBytes(path, Elf);
        return path;
    }

    /// <summary>The programs measured, in table order.</summary>
    public static readonly string[] Measured = ["loop", "loop-timer", "mixed"];
}
