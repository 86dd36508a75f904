using System.Diagnostics;
using VirtLab.Machine.Devices;

namespace VirtLab.Machine;

/// <summary>
/// A complete emulated RISC-V computer: harts, RAM at 0x80000000 and the devices of a small board
/// (CLINT, UART, test finisher), plus HTIF for test programs written for Spike. Build one, load a
/// program, run it:
/// <code>
/// var machine = new Machine();
/// machine.Load(Assembler.Assemble(source).Program!);
/// RunResult result = machine.Run(maxInstructions: 10_000_000);
/// Console.Write(machine.Uart.Output);
/// </code>
/// Nothing a guest program does makes <see cref="Run"/> throw: faults become traps inside the
/// guest, and a program that never ends is stopped by the instruction budget.
/// </summary>
public sealed partial class Machine
{
    private readonly List<Hart> _harts = new();
    private Hart? _running;
    private string? _stopMessage;
    private ExitReason? _stopReason;
    private int _exitCode;

    /// <summary>Builds a machine. Throws <see cref="ArgumentException"/> naming the field if <paramref name="config"/> is invalid.</summary>
    public Machine(MachineConfig? config = null)
    {
        Config = config ?? new MachineConfig();
        if (Config.Validate() is string problem) throw new ArgumentException($"invalid machine configuration: {problem}", nameof(config));

        Ram = new PhysicalMemory((int)(Config.RamSize / PhysicalMemory.PageSize));
        Bus = AddressSpace.IdentityMapped(Ram, MachineConfig.RamBase);
        Clint = new Clint(Config.HartCount, () => (_running ?? _harts[0]).Cycle, Config.CyclesPerTick);
        Uart = new Uart16550();
        Finisher = new TestFinisher(code => End(ExitReason.ProgramExited, code, code == 0 ? "test finisher: pass" : $"test finisher: fail with code {code}"));
        Bus.Attach(Clint.DefaultBase, Clint);
        Bus.Attach(Uart16550.DefaultBase, Uart);
        Bus.Attach(TestFinisher.DefaultBase, Finisher);
        for (int id = 0; id < Config.HartCount; id++) _harts.Add(new Hart(id, Bus, Clint, MachineConfig.RamBase));
    }

    public MachineConfig Config { get; }
    /// <summary>The machine's RAM.</summary>
    public PhysicalMemory Ram { get; }
    /// <summary>The physical address space every hart sees.</summary>
    public AddressSpace Bus { get; }
    public Clint Clint { get; }
    public Uart16550 Uart { get; }
    public TestFinisher Finisher { get; }
    public IReadOnlyList<Hart> Harts => _harts;

    /// <summary>Text the program printed through the HTIF console (the UART's output is in <see cref="Uart"/>).</summary>
    public string HtifOutput => _htifOutput.ToString();
    private readonly System.Text.StringBuilder _htifOutput = new();

    /// <summary>Everything the program printed, UART first, then HTIF console.</summary>
    public string ConsoleOutput => Uart.Output + HtifOutput;

    /// <summary>Instructions retired by all harts.</summary>
    public ulong Instructions => (ulong)_harts.Sum(h => (long)h.Retired);

    /// <summary>
    /// Copies <paramref name="bytes"/> to RAM at <paramref name="address"/>. Returns an error message
    /// if the bytes do not fit in RAM, null on success.
    /// </summary>
    public string? LoadBytes(uint address, ReadOnlySpan<byte> bytes)
    {
        ulong end = (ulong)address + (ulong)bytes.Length;
        if (address < MachineConfig.RamBase || end > (ulong)MachineConfig.RamBase + Config.RamSize)
            return $"segment 0x{address:x8}..0x{end:x8} does not fit in RAM 0x{MachineConfig.RamBase:x8}..0x{(ulong)MachineConfig.RamBase + Config.RamSize:x8}";
        Bus.TryWriteBytes(address, bytes);
        return null;
    }

    /// <summary>Starts every hart at <paramref name="entry"/> in M-mode, with a0 = hart id as firmware conventions expect.</summary>
    public void SetEntry(uint entry)
    {
        foreach (var hart in _harts)
        {
            hart.Pc = entry;
            hart[10] = (uint)hart.HartId;
        }
    }

    /// <summary>Connects HTIF at the <c>tohost</c> (and optional <c>fromhost</c>) words of a loaded program.</summary>
    public void ConnectHtif(uint tohost, uint? fromhost)
    {
        _ = new Htif(Bus, tohost, fromhost,
            exit: code => End(ExitReason.ProgramExited, code, code == 0 ? "tohost: pass" : $"tohost: fail with code {code}"),
            print: c => _htifOutput.Append(c),
            fault: message => End(ExitReason.Unsupported, -1, message));
    }

    private void End(ExitReason reason, int code, string message)
    {
        if (_stopReason is not null) return;
        _stopReason = reason;
        _exitCode = code;
        _stopMessage = message;
        foreach (var hart in _harts) hart.StopRequested = true;
    }

    /// <summary>True once the program has ended (exit, power-off, unsupported request).</summary>
    public bool HasEnded => _stopReason is not null;

    /// <summary>
    /// Runs the harts, interleaved <see cref="MachineConfig.HartQuantum"/> instructions at a time,
    /// until the program ends, every hart sleeps with nothing to wake it, or
    /// <paramref name="maxInstructions"/> have retired in this call. Time spent in WFI is skipped:
    /// when every hart waits, the clock jumps to the next timer deadline.
    /// </summary>
    public RunResult Run(long maxInstructions = 100_000_000, Action<TraceEntry>? trace = null)
    {
        var clock = Stopwatch.StartNew();
        ulong startInstructions = Instructions, startCycles = _harts[0].Cycle;
        long budget = maxInstructions;
        try
        {
            while (!HasEnded && budget > 0)
            {
                bool anyRan = false;
                foreach (var hart in _harts)
                {
                    if (HasEnded || budget <= 0) break;
                    _running = hart;
                    long slice = Math.Min(budget, Config.HartQuantum);
                    long ran = trace is null ? hart.Run(slice) : TraceSteps(hart, slice, trace);
                    // A hart that retired nothing and is not asleep spent its slice trapping (a trap
                    // loop, e.g. mtvec pointing at memory that cannot be fetched): charge the slice, so
                    // the budget still ends the run.
                    budget -= ran > 0 || hart.IsWaitingForInterrupt || HasEnded ? ran : slice;
                    if (ran > 0 || !hart.IsWaitingForInterrupt) anyRan = true;
                }
                if (!anyRan && !HasEnded && !SkipIdleTime()) break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in VirtLab itself, not the guest: report it instead of taking the host down.
            End(ExitReason.Unsupported, -1, $"internal error in the emulator: {e.GetType().Name}: {e.Message}");
        }
        _running = null;
        clock.Stop();

        ulong instructions = Instructions - startInstructions, cycles = _harts[0].Cycle - startCycles;
        if (_stopReason is ExitReason reason)
            return new RunResult(reason, _exitCode, instructions, cycles, clock.Elapsed, _stopMessage!);
        if (_harts.All(h => h.IsWaitingForInterrupt))
            return new RunResult(ExitReason.Deadlocked, -1, instructions, cycles, clock.Elapsed,
                "every hart is waiting in wfi and no interrupt is enabled that could wake it");
        return new RunResult(ExitReason.InstructionBudgetExhausted, -1, instructions, cycles, clock.Elapsed,
            $"stopped after {maxInstructions:N0} instructions (the instruction budget); the program had not ended");
    }

    /// <summary>
    /// All harts wait in WFI: advance every hart's clock to the earliest timer deadline that would
    /// wake one. Returns false if there is none (deadlock).
    /// </summary>
    private bool SkipIdleTime()
    {
        ulong now = _harts.Max(h => h.Cycle);
        ulong earliest = ulong.MaxValue;
        foreach (var hart in _harts)
        {
            if ((hart.Mie & InterruptBits.MachineTimer) == 0) continue;
            ulong wait = Clint.CyclesUntilTimer(hart.HartId, now);
            if (wait != ulong.MaxValue) earliest = Math.Min(earliest, now + wait);
        }
        if (earliest == ulong.MaxValue) return false;
        foreach (var hart in _harts) hart.Cycle = Math.Max(hart.Cycle, earliest);
        return true;
    }

    private long TraceSteps(Hart hart, long count, Action<TraceEntry> trace)
    {
        long retired = 0;
        var before = new uint[32];
        for (long i = 0; i < count && !HasEnded; i++)
        {
            for (int r = 0; r < 32; r++) before[r] = hart[r];
            uint pc = hart.Pc;
            hart.Memory.TryFetch(pc, out uint word);
            ulong instret = hart.Instret;
            // An interrupt is a step of its own, reported at the instruction it came before; folded
            // into Step it would show that instruction with the effects of the handler's first one.
            if (hart.WakeAndTakeInterrupt())
            {
                trace(new TraceEntry(hart.HartId, pc, word, [], Trapped: true));
                continue;
            }
            long ran = hart.Step();
            retired += ran;
            var changes = new List<(int, uint)>();
            for (int r = 1; r < 32; r++) if (hart[r] != before[r]) changes.Add((r, hart[r]));
            trace(new TraceEntry(hart.HartId, pc, word, changes, hart.Instret == instret));
            if (ran == 0 && hart.IsWaitingForInterrupt) break;
        }
        return retired;
    }
}
