using System.CommandLine;
using VirtLab.Assembly;

namespace VirtLab.Cli;

/// <summary><c>virtlab assemble prog.s [-o prog.elf] [--listing]</c>: assemble to an ELF file, e.g. to run it on QEMU or inspect it with objdump.</summary>
public static class AssembleCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "Assembly source (.s, .S, .asm)." };
        var output = new Option<string?>("--output", "-o") { Description = "The ELF file to write (default: the source's name with .elf).", HelpName = "FILE" };
        var listing = new Option<bool>("--listing", "-l") { Description = "Also print the listing: address, word and source line of every instruction and datum." };
        var command = new Command("assemble", "Assemble a program with VirtLab's assembler and write it as an ELF32 RISC-V executable.")
        {
            source, output, listing,
        };
        VirtLabCli.SetHelpEpilog(command, "Exit codes: 0 written, 2 assembly errors or the file cannot be read or written.");
        command.SetAction(parse => Execute(parse.GetValue(source)!, parse.GetValue(output), parse.GetValue(listing),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Execute(string path, string? outputPath, bool listing, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"{path}: no such file");
            return ExitCodes.CannotLoad;
        }
        var result = Assembler.Assemble(File.ReadAllText(path), path);
        if (!result.Success)
        {
            foreach (var diagnostic in result.Diagnostics) error.WriteLine(diagnostic);
            return ExitCodes.CannotLoad;
        }
        if (listing) output.WriteLine(result.ListingText());
        outputPath ??= Path.ChangeExtension(path, ".elf");
        try
        {
            File.WriteAllBytes(outputPath, result.Program!.ToElf());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{outputPath}: cannot write: {e.Message}");
            return ExitCodes.CannotLoad;
        }
        output.WriteLine($"wrote {outputPath} (entry 0x{result.Program.Entry:x8})");
        return ExitCodes.Success;
    }
}
