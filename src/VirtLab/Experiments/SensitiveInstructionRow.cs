namespace VirtLab.Experiments;

/// <summary>One sensitive instruction run in a deprivileged guest (<see cref="PopekGoldberg"/>, part 1).</summary>
/// <param name="Instruction">The instruction (and what it does, where that is not obvious).</param>
/// <param name="Exits">VM exits it caused (the same guest with a nop in its place is subtracted).</param>
/// <param name="ExitReason">The reasons of those exits, joined by '+', or "(none)".</param>
/// <param name="Trapped">Whether it trapped to the hypervisor at all.</param>
public sealed record SensitiveInstructionRow(
    [property: Column("instruction")] string Instruction,
    [property: Column("exits")] long Exits,
    [property: Column("exit_reason")] string ExitReason,
    [property: Column("trapped")] bool Trapped);
