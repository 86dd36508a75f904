using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace VirtLab.Benchmarks;

/// <summary>
/// The "Guest MIPS" column of a BenchmarkDotNet summary: the guest instructions one invocation of a
/// benchmark retires (the same in every run, so counted once with <paramref name="instructionsOf"/>)
/// over its mean time, in millions per second.
/// </summary>
public sealed class GuestMipsColumn(string legend, Func<BenchmarkCase, ulong> instructionsOf) : IColumn
{
    /// <summary>Guest MIPS of <paramref name="benchmarkCase"/> in <paramref name="summary"/>, or null without a result.</summary>
    public static double? Mips(Summary summary, BenchmarkCase benchmarkCase, Func<BenchmarkCase, ulong> instructionsOf)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null || stats.Mean <= 0) return null;
        return instructionsOf(benchmarkCase) / (stats.Mean / 1e9) / 1e6;
    }

    public string Id => "GuestMips";
    public string ColumnName => "Guest MIPS";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        Mips(summary, benchmarkCase, instructionsOf) is double mips ? mips.ToString("F1", CultureInfo.InvariantCulture) : "n/a";
}
