namespace VirtLab.Machine;

/// <summary>Why a run of the machine ended.</summary>
public enum ExitReason
{
    /// <summary>The program ended itself: through HTIF tohost or the test finisher. See <see cref="RunResult.ExitCode"/>.</summary>
    ProgramExited,
    /// <summary>The instruction budget ran out before the program ended.</summary>
    InstructionBudgetExhausted,
    /// <summary>Every hart is waiting in WFI and no interrupt can ever wake one.</summary>
    Deadlocked,
    /// <summary>The program asked for something the machine cannot do (e.g. an unsupported HTIF command).</summary>
    Unsupported,
}

/// <summary>What a run of the machine did: why it stopped, the program's exit code, and how much work it was.</summary>
public sealed record RunResult(ExitReason Reason, int ExitCode, ulong Instructions, ulong Cycles, TimeSpan Elapsed, string Message)
{
    /// <summary>Guest instructions per second of host time, in millions.</summary>
    public double Mips => Elapsed.TotalSeconds > 0 ? Instructions / Elapsed.TotalSeconds / 1e6 : 0;

    /// <summary>True when the program exited with code 0.</summary>
    public bool Passed => Reason == ExitReason.ProgramExited && ExitCode == 0;
}

/// <summary>One executed instruction, for <c>virtlab run --trace</c>.</summary>
/// <param name="HartId">Which hart executed it.</param>
/// <param name="Pc">Its address.</param>
/// <param name="Word">Its 32 bits (0 if the fetch faulted).</param>
/// <param name="Changes">Registers it changed: (register number, new value).</param>
/// <param name="Trapped">True if it trapped instead of retiring (or an interrupt was taken before it).</param>
public sealed record TraceEntry(int HartId, uint Pc, uint Word, IReadOnlyList<(int Register, uint Value)> Changes, bool Trapped);
