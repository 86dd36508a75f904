using VirtLab.Assembly;
using VirtLab.Programs;

namespace VirtLab.Cli;

/// <summary>
/// Turns a file named on the command line into a <see cref="ProgramImage"/>: assembly source
/// (<c>.s</c>, <c>.S</c>, <c>.asm</c>) goes through VirtLab's assembler, anything else must be an
/// ELF32 RISC-V executable. Problems come back as ready-to-print lines, never as exceptions.
/// </summary>
public static class ProgramLoader
{
    private static readonly string[] AssemblyExtensions = [".s", ".S", ".asm"];

    /// <summary>The result: a program, or the lines explaining why there is none.</summary>
    public sealed record Loaded(ProgramImage? Program, IReadOnlyList<string> Errors)
    {
        public bool Success => Program is not null;
    }

    public static Loaded Load(string path)
    {
        if (Directory.Exists(path)) return Fail($"{path}: is a directory, not a program");
        if (!File.Exists(path)) return Fail($"{path}: no such file");

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"{path}: cannot read: {e.Message}");
        }

        string extension = Path.GetExtension(path);
        if (AssemblyExtensions.Contains(extension, StringComparer.Ordinal)) return Assemble(path, bytes);

        bool looksLikeElf = bytes.Length >= 4 && bytes[0] == 0x7F && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';
        if (extension == ".elf" || looksLikeElf)
        {
            try
            {
                return new Loaded(ProgramImage.FromElf(bytes), []);
            }
            catch (ProgramFormatException e)
            {
                return Fail($"{path}: not a RISC-V ELF32 executable VirtLab can load: {e.Message}");
            }
        }
        return Fail($"{path}: don't know how to run a '{(extension.Length == 0 ? "(no extension)" : extension)}' file; " +
                    "expected assembly source (.s, .S, .asm) or an ELF executable (.elf)");
    }

    private static Loaded Assemble(string path, byte[] bytes)
    {
        string source = System.Text.Encoding.UTF8.GetString(bytes);
        var result = Assembler.Assemble(source, path);
        if (result.Success) return new Loaded(result.Program, []);
        var errors = result.Diagnostics.Select(d => d.ToString()).ToList();
        if (errors.Count == 0) errors.Add($"{path}: the assembler produced no program");
        errors.Add($"{path}: {result.Diagnostics.Count} error{(result.Diagnostics.Count == 1 ? "" : "s")}; nothing was run");
        return new Loaded(null, errors);
    }

    private static Loaded Fail(string message) => new(null, [message]);
}
