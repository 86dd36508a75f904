namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="PopekGoldberg"/>, read from its rows.</summary>
public sealed class PopekGoldbergHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<SensitiveInstructionRow> _instructions;
    private readonly IReadOnlyList<CriticalSectionRow> _sections;

    internal PopekGoldbergHeadline(IReadOnlyList<SensitiveInstructionRow> instructions, IReadOnlyList<CriticalSectionRow> sections) =>
        (_instructions, _sections) = (instructions, sections);

    /// <summary>Sensitive instructions tried.</summary>
    public int SensitiveInstructions => _instructions.Count;

    /// <summary>Sensitive instructions that trapped to the hypervisor.</summary>
    public int Trapped => _instructions.Count(r => r.Trapped);

    /// <summary>Whether every sensitive instruction trapped: the condition for trap-and-emulate.</summary>
    public bool AllTrap => Trapped == SensitiveInstructions;

    /// <summary>Interrupts that broke into the guest's critical sections on RISC-V, or on the POPF-like variant.</summary>
    public long InterruptsInsideCriticalSections(bool popfLike) =>
        _sections.Single(r => r.Machine == (popfLike ? PopekGoldberg.PopfLikeVariant : PopekGoldberg.RiscV)).InterruptsInsideCriticalSections;

    internal override IEnumerable<(string Name, string Value)> Sentences() =>
    [
        ("sensitive instructions that trap", $"{Trapped} of {SensitiveInstructions}"),
        ("interrupts inside critical sections", $"RISC-V {InterruptsInsideCriticalSections(false)}, POPF-like variant {InterruptsInsideCriticalSections(true)}"),
    ];
}
