namespace VirtLab.Experiments;

/// <summary>What <see cref="Type1VsType2.Run"/> measured: per workload, a bare, a Type 1 and a Type 2 row, and the headline figures.</summary>
public sealed class Type1VsType2Result : ExperimentResult<Type1VsType2Options, Type1VsType2Headline>
{
    internal Type1VsType2Result(Type1VsType2Options options, IReadOnlyList<Type1VsType2Row> rows, IReadOnlyList<string> notes) : base(Type1VsType2.Name, options, new Type1VsType2Headline(rows), notes)
    {
        Rows = rows;
    }

    /// <summary>Bare, Type 1 and Type 2 for each workload in turn (table <c>throughput</c>).</summary>
    public IReadOnlyList<Type1VsType2Row> Rows { get; }

    /// <inheritdoc/>
    protected override IEnumerable<Table> CreateTables() => [Table.From(Rows, "throughput")];
}
