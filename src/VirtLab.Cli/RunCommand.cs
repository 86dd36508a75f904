using System.CommandLine;
using System.Globalization;
using System.Text;
using VirtLab.Assembly;
using VirtLab.Machine;

namespace VirtLab.Cli;

/// <summary><c>virtlab run prog.s|prog.elf</c>: runs a bare-metal program on the emulated machine.</summary>
public static class RunCommand
{
    /// <summary>The default instruction budget: about a second of guest time on a typical laptop.</summary>
    public const long DefaultMaxInstructions = 100_000_000;

    public static Command Create()
    {
        var program = new Argument<string>("program")
        {
            Description = "Assembly source (.s, .S, .asm; assembled by VirtLab's assembler) or an ELF32 RISC-V executable (.elf).",
        };
        var maxInstructions = new Option<long>("--max-instructions", "-n")
        {
            Description = "Stop after this many instructions if the program has not ended.",
            DefaultValueFactory = _ => DefaultMaxInstructions,
            HelpName = "N",
        };
        var trace = new Option<bool>("--trace", "-t")
        {
            Description = "Print every executed instruction: hart, pc, word, disassembly and the registers it changed.",
        };
        var ramMib = new Option<int>("--ram-mib")
        {
            Description = $"RAM size in MiB (1..{MachineConfig.MaxRamSize >> 20}), at 0x{MachineConfig.RamBase:x8}.",
            DefaultValueFactory = _ => (int)(new MachineConfig().RamSize >> 20),
            HelpName = "N",
        };
        var quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "Print only what the program prints, not the summary.",
        };

        var command = new Command("run",
            "Run a bare-metal RISC-V program (RV32IM + Zicsr, M/U modes) on the emulated machine and print what it prints, " +
            "then a summary: instructions, cycles, speed and why it stopped.")
        {
            program, maxInstructions, trace, ramMib, quiet,
        };
        VirtLabCli.SetHelpEpilog(command, ExitCodes.HelpText);
        command.SetAction(parse => Execute(
            parse.GetValue(program)!,
            parse.GetValue(maxInstructions),
            parse.GetValue(trace),
            parse.GetValue(ramMib),
            parse.GetValue(quiet),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Loads and runs <paramref name="path"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Execute(string path, long maxInstructions, bool trace, int ramMib, bool quiet, TextWriter output, TextWriter error)
    {
        if (maxInstructions < 1)
        {
            error.WriteLine($"virtlab: --max-instructions must be at least 1 (got {maxInstructions})");
            return ExitCodes.CannotLoad;
        }
        if (ramMib < 1 || ramMib > (int)(MachineConfig.MaxRamSize >> 20))
        {
            error.WriteLine($"virtlab: --ram-mib must be between 1 and {MachineConfig.MaxRamSize >> 20} (got {ramMib})");
            return ExitCodes.CannotLoad;
        }

        var loaded = ProgramLoader.Load(path);
        if (!loaded.Success)
        {
            foreach (var line in loaded.Errors) error.WriteLine(line);
            return ExitCodes.CannotLoad;
        }

        var machine = new Machine.Machine(new MachineConfig { RamSize = (uint)ramMib << 20 });
        if (machine.Load(loaded.Program!) is string problem)
        {
            error.WriteLine($"{path}: does not fit in the machine's {ramMib} MiB of RAM: {problem}");
            return ExitCodes.CannotLoad;
        }

        // UART output appears as the guest produces it. With --trace it is shown under the
        // instruction that wrote it, so it does not break up the trace lines.
        var pendingUart = new StringBuilder();
        char lastPrinted = '\n';
        if (trace) machine.Uart.OnTransmit = c => pendingUart.Append(c);
        else machine.Uart.OnTransmit = c => { output.Write(c); lastPrinted = c; };

        RunResult result;
        if (trace)
        {
            var line = new StringBuilder();
            result = machine.Run(maxInstructions, entry =>
            {
                output.WriteLine(FormatTrace(entry, line));
                if (pendingUart.Length > 0)
                {
                    output.WriteLine($"{"",-6}uart: {Escape(pendingUart.ToString())}");
                    pendingUart.Clear();
                }
            });
        }
        else
        {
            result = machine.Run(maxInstructions);
        }
        output.Flush();

        string htif = machine.HtifOutput;
        if (htif.Length > 0)
        {
            if (!quiet && lastPrinted != '\n') output.WriteLine();
            output.Write(htif);
            lastPrinted = htif[^1];
        }
        if (trace && machine.Uart.Output.Length > 0 && !quiet)
        {
            // The trace showed the UART output piecemeal; print it whole as well.
            output.WriteLine("--- UART output ---");
            output.Write(machine.Uart.Output);
            lastPrinted = machine.Uart.Output[^1];
        }
        if (machine.Uart.OutputTruncated) error.WriteLine("virtlab: the program's UART output passed 1 MiB; the rest was not kept");

        if (!quiet)
        {
            if (lastPrinted != '\n') output.WriteLine();
            WriteSummary(output, path, result);
        }
        output.Flush();
        return ExitCode(result);
    }

    /// <summary>The process exit code for a finished run.</summary>
    public static int ExitCode(RunResult result) => result.Reason switch
    {
        ExitReason.ProgramExited => ExitCodes.FromGuest(result.ExitCode),
        ExitReason.InstructionBudgetExhausted => ExitCodes.BudgetExhausted,
        ExitReason.Deadlocked => ExitCodes.Deadlocked,
        _ => ExitCodes.Unsupported,
    };

    /// <summary>Why the run stopped, in plain words.</summary>
    public static string Explain(RunResult result) => result.Reason switch
    {
        ExitReason.ProgramExited when result.ExitCode == 0 => $"the program finished successfully ({result.Message})",
        ExitReason.ProgramExited => $"the program reported failure with code {result.ExitCode} ({result.Message})",
        ExitReason.InstructionBudgetExhausted =>
            $"stopped after {result.Instructions.ToString("N0", CultureInfo.InvariantCulture)} instructions, the instruction budget, before the program ended " +
            "(raise it with --max-instructions, or check that the program writes tohost or the test finisher when done)",
        ExitReason.Deadlocked => "stopped: every hart is waiting in wfi and no enabled interrupt could ever wake it (deadlock)",
        _ => $"stopped: {result.Message}",
    };

    private static void WriteSummary(TextWriter output, string path, RunResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"--- {Path.GetFileName(path)}: {Explain(result)}");
        output.WriteLine(string.Create(inv, $"    instructions {result.Instructions,15:N0}"));
        output.WriteLine(string.Create(inv, $"    cycles       {result.Cycles,15:N0}"));
        output.WriteLine(string.Create(inv, $"    host time    {FormatTime(result.Elapsed),15}"));
        output.WriteLine(string.Create(inv, $"    speed        {result.Mips,11:F2} MIPS"));
        output.WriteLine(string.Create(inv, $"    exit code    {ExitCode(result),15}"));
    }

    private static string FormatTime(TimeSpan t) =>
        t.TotalSeconds >= 1 ? t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) + " s"
                            : t.TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture) + " ms";

    /// <summary>One trace line: <c>[hart] pc word  disassembly  reg=value ...</c>.</summary>
    public static string FormatTrace(TraceEntry entry, StringBuilder? buffer = null)
    {
        var line = buffer ?? new StringBuilder();
        line.Clear();
        line.Append(CultureInfo.InvariantCulture, $"[{entry.HartId}] {entry.Pc:x8}  {entry.Word:x8}  ");
        line.Append(Disassembler.Disassemble(entry.Word, entry.Pc).PadRight(28));
        foreach (var (register, value) in entry.Changes)
            line.Append(CultureInfo.InvariantCulture, $" {RegisterNames.AbiName(register)}=0x{value:x8}");
        if (entry.Trapped) line.Append("  (trap)");
        return line.ToString().TrimEnd();
    }

    private static string Escape(string text)
    {
        var s = new StringBuilder("\"");
        foreach (char c in text)
        {
            s.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return s.Append('"').ToString();
    }
}
