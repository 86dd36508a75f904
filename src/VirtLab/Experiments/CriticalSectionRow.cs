namespace VirtLab.Experiments;

/// <summary>The critical-section guest on one machine (<see cref="PopekGoldberg"/>, part 2).</summary>
/// <param name="Machine"><see cref="PopekGoldberg.RiscV"/> or <see cref="PopekGoldberg.PopfLikeVariant"/>.</param>
/// <param name="Rounds">Critical sections the guest ran.</param>
/// <param name="InterruptsTaken">Timer interrupts the guest took.</param>
/// <param name="InterruptsInsideCriticalSections">Interrupts that arrived while the guest believed them disabled (its own count; -1 if it did not finish).</param>
/// <param name="MstatusExits">CSR-access exits: on the variant, the csrs/csrc of mstatus are missing from them.</param>
/// <param name="GuestCorrect">Whether no interrupt broke into a critical section.</param>
public sealed record CriticalSectionRow(
    [property: Column("machine")] string Machine,
    [property: Column("rounds")] int Rounds,
    [property: Column("interrupts_taken")] long InterruptsTaken,
    [property: Column("interrupts_inside_critical_sections")] long InterruptsInsideCriticalSections,
    [property: Column("mstatus_exits")] long MstatusExits,
    [property: Column("guest_correct")] bool GuestCorrect);
