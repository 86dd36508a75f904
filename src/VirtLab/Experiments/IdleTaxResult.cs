namespace VirtLab.Experiments;

/// <summary>What <see cref="IdleTax.Run"/> measured: both VMs at the end of each run, their memory over time, and the headline figures.</summary>
public sealed class IdleTaxResult : ExperimentResult<IdleTaxOptions, IdleTaxHeadline>
{
    internal IdleTaxResult(IdleTaxOptions options, IReadOnlyList<IdleTaxRow> rows, IReadOnlyList<IdleTaxSample> samples, IReadOnlyList<string> notes) : base(IdleTax.Name, options, new IdleTaxHeadline(rows), notes)
    {
        Rows = rows;
        Samples = samples;
    }

    /// <summary>The idle and the active VM for each tax rate (table <c>idle_tax</c>).</summary>
    public IReadOnlyList<IdleTaxRow> Rows { get; }

    /// <summary>Both VMs at every sample of every run (table <c>memory_over_time</c>).</summary>
    public IReadOnlyList<IdleTaxSample> Samples { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Rows, "idle_tax"), Table.From(Samples, "memory_over_time")];
}
