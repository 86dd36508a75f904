using VirtLab.Assembly;
using VirtLab.Machine;
using VirtLab.Programs;
using Mach = VirtLab.Machine.Machine;

namespace VirtLab.Tests.Machine;

/// <summary>How a snippet is executed, so that every instruction is checked on each interpreter path.</summary>
public enum ExecMode
{
    /// <summary><see cref="Mach.Run"/> with the default quantum: long blocks on the pre-decoded fast path, translation off.</summary>
    Blocks,
    /// <summary>
    /// Long blocks with dynamic translation from the first taken jump on (threshold 1), so that
    /// every jump target's region runs as translated code.
    /// </summary>
    Translated,
    /// <summary>One instruction per block (quantum 1, as <see cref="Hart.Step"/> does): every instruction is the first of its block.</summary>
    Steps,
    /// <summary>
    /// Every instruction on the reference interpreter (<c>Hart.SlowPath.cs</c>): before each step the
    /// page holding pc is unmapped, so the block's fetch check fails and the hart falls back to the
    /// slow path, whose fetch faults the page back in through <see cref="AddressSpace.PageFaultHandler"/>.
    /// </summary>
    SlowPath,
}

/// <summary>
/// A tiny test DSL: assemble a snippet with VirtLab's assembler, run it, read registers.
/// <para>
/// The snippet falls through into <c>__exit</c>, which ends the run through HTIF <c>tohost</c>
/// (clobbering only t6 = x31). mtvec starts at <c>__exit</c> too, so an unexpected trap also ends the run; mcause
/// starts at <see cref="NoTrap"/> so a test can see whether a trap happened. Snippets may put data in
/// <c>.data</c> (its own page, away from the code) and use the labels <c>__exit</c> and <c>tohost</c>.
/// </para>
/// </summary>
public static class Snippet
{
    /// <summary>mcause before anything trapped: not a real cause, so "no trap" is distinguishable.</summary>
    public const uint NoTrap = 0x7EAD_BEEF;

    public static readonly ExecMode[] AllModes = [ExecMode.Blocks, ExecMode.Translated, ExecMode.Steps, ExecMode.SlowPath];

    public static TheoryData<ExecMode> Modes() => new(AllModes);

    public static string Wrap(string body) => $$"""
        .text
        .globl _start
        _start:
        {{body}}
        __exit:
            la t6, tohost
            sw x0, 4(t6)
        __spin:
            j __spin
        .section .tohost, "aw"
        .align 12
        tohost: .word 1, 0
        fromhost: .word 0, 0
        """;

    public static ProgramImage Assemble(string body)
    {
        var result = Assembler.Assemble(Wrap(body), "snippet.s");
        Assert.True(result.Success, result.DiagnosticsText());
        return result.Program!;
    }

    /// <summary>Assembles and runs <paramref name="body"/>; <paramref name="setup"/> may poke the machine before the run.</summary>
    public static Outcome Run(string body, ExecMode mode = ExecMode.Blocks, Action<Mach, Hart>? setup = null,
        long budget = 200_000, int harts = 1, bool expectExit = true)
    {
        var program = Assemble(body);
        var config = new MachineConfig { HartCount = harts, RamSize = 1u << 20, HartQuantum = mode is ExecMode.Blocks or ExecMode.Translated ? 10_000 : 1 };
        var machine = new Mach(config);
        machine.Bus.TranslationThreshold = mode == ExecMode.Translated ? 1 : 0;
        Assert.Null(machine.Load(program));
        var hart = machine.Harts[0];
        hart.MTvec = program.Symbols["__exit"];
        hart.MCause = NoTrap;
        setup?.Invoke(machine, hart);

        RunResult result;
        if (mode == ExecMode.SlowPath)
        {
            var bus = machine.Bus;
            bus.PageFaultHandler = (page, _) => { bus.Map(page, page, writable: true); return true; };
            void UnmapPcPage()
            {
                foreach (var h in machine.Harts)
                {
                    uint off = h.Pc - bus.RamBase;
                    if (off < bus.RamSize) bus.Unmap((int)(off >> PhysicalMemory.PageShift));
                }
            }
            UnmapPcPage();
            result = machine.Run(budget, trace: _ => UnmapPcPage());
        }
        else
        {
            result = machine.Run(budget);
        }
        if (expectExit)
            Assert.True(result.Reason == ExitReason.ProgramExited, $"snippet did not reach __exit ({mode}): {result.Message}; pc=0x{hart.Pc:x8} mcause=0x{hart.MCause:x8}");
        return new Outcome(machine, hart, program, result);
    }

    /// <summary>Runs the snippet in every mode and checks that the outcomes agree, returning the block-mode one.</summary>
    public static Outcome RunAllModes(string body, Action<Mach, Hart>? setup = null, long budget = 200_000)
    {
        Outcome? first = null;
        foreach (var mode in AllModes)
        {
            var o = Run(body, mode, setup, budget);
            if (first is null) { first = o; continue; }
            Assert.Equal(first.Hart.Registers, o.Hart.Registers);
        }
        return first!;
    }
}

/// <summary>What a snippet left behind.</summary>
public sealed record Outcome(Mach Machine, Hart Hart, ProgramImage Program, RunResult Result)
{
    /// <summary>Register by ABI or x name (<c>"a0"</c>, <c>"x5"</c>).</summary>
    public uint this[string register]
    {
        get
        {
            Assert.True(VirtLab.Assembly.RegisterNames.TryParse(register, out int n), $"no register {register}");
            return Hart[n];
        }
    }

    public uint Symbol(string name) => Program.Symbols[name];

    public uint Word(uint address)
    {
        Assert.True(Machine.Bus.TryRead(address, 4, out uint v), $"cannot read 0x{address:x8}");
        return v;
    }

    public uint Word(string symbol, uint offset = 0) => Word(Symbol(symbol) + offset);

    public bool Trapped => Hart.MCause != Snippet.NoTrap;
}
