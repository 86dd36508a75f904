using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="CpuOvercommit"/>, read from its rows.</summary>
public sealed class CpuOvercommitHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<CpuOvercommitRow> _rows;

    internal CpuOvercommitHeadline(IReadOnlyList<CpuOvercommitRow> rows) => _rows = rows;

    /// <summary>Mean CPU ready % of the CPU-bound VMs' vCPUs at vCPU:pCPU <paramref name="ratio"/> (about 100 × (1 - 1/ratio) once the cores are full).</summary>
    public double ReadyPercentAt(double ratio) => Row(CpuOvercommit.CpuBound, ratio).ReadyPercentMean;

    /// <summary>Mean CPU ready % of the mostly idle VMs' vCPUs at <paramref name="ratio"/>.</summary>
    public double IdleReadyPercentAt(double ratio) => Row(CpuOvercommit.MostlyIdle, ratio).ReadyPercentMean;

    /// <summary>Mean co-stop % of the CPU-bound VMs' vCPUs at <paramref name="ratio"/> (0 unless the VMs have 2 or more vCPUs).</summary>
    public double CoStopPercentAt(double ratio) => Row(CpuOvercommit.CpuBound, ratio).CoStopPercentMean;

    /// <summary>Throughput per CPU-bound VM at <paramref name="ratio"/>, relative to the first ratio of the sweep.</summary>
    public double RelativeThroughputAt(double ratio) => Row(CpuOvercommit.CpuBound, ratio).RelativePerVm;

    private CpuOvercommitRow Row(string vms, double ratio) => _rows.FirstOrDefault(r => r.Group == vms && r.Ratio == ratio)
        ?? throw new KeyNotFoundException(Invariant($"ratio {ratio} was not swept (ratios: {string.Join(", ", _rows.Select(r => r.Ratio).Distinct())})"));

    internal override IEnumerable<(string Name, string Value)> Sentences()
    {
        foreach (var vms in new[] { CpuOvercommit.CpuBound, CpuOvercommit.MostlyIdle })
        {
            var rows = _rows.Where(r => r.Group == vms).ToList();
            yield return ($"{vms} ready %", string.Join(", ", rows.Select(r => Invariant($"{r.Ratio}:1 -> {r.ReadyPercentMean:F1}%"))));
            if (rows.Any(r => r.CoStopPercentMean > 0))
                yield return ($"{vms} co-stop %", string.Join(", ", rows.Select(r => Invariant($"{r.Ratio}:1 -> {r.CoStopPercentMean:F1}%"))));
        }
    }
}
