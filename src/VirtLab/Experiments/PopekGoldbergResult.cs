namespace VirtLab.Experiments;

/// <summary>What <see cref="PopekGoldberg.Run"/> found: each sensitive instruction, the critical-section guest on both machines, and the headline figures.</summary>
public sealed class PopekGoldbergResult : ExperimentResult<PopekGoldbergOptions, PopekGoldbergHeadline>
{
    internal PopekGoldbergResult(PopekGoldbergOptions options, IReadOnlyList<SensitiveInstructionRow> instructions, IReadOnlyList<CriticalSectionRow> criticalSections,
        IReadOnlyList<string> notes) : base(PopekGoldberg.Name, options, new PopekGoldbergHeadline(instructions, criticalSections), notes)
    {
        SensitiveInstructions = instructions;
        CriticalSections = criticalSections;
    }

    /// <summary>Part 1, one row per sensitive instruction (table <c>sensitive_instructions</c>).</summary>
    public IReadOnlyList<SensitiveInstructionRow> SensitiveInstructions { get; }

    /// <summary>Part 2: RISC-V, then the POPF-like variant (table <c>critical_sections</c>).</summary>
    public IReadOnlyList<CriticalSectionRow> CriticalSections { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(SensitiveInstructions, "sensitive_instructions"), Table.From(CriticalSections, "critical_sections")];
}
