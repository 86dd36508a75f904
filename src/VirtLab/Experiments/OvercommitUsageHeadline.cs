using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="OvercommitUsage"/>, read from its rows.</summary>
public sealed class OvercommitUsageHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<VmUsage> _rows;

    internal OvercommitUsageHeadline(IReadOnlyList<VmUsage> rows) => _rows = rows;

    /// <summary>Pages given to all the VMs together.</summary>
    public int PagesGiven => _rows.Sum(r => r.PagesGiven);

    /// <summary>Pages all the VMs together touched.</summary>
    public int PagesTouched => _rows.Sum(r => r.PagesTouched);

    /// <summary>Pages touched as a percentage of pages given, all VMs together.</summary>
    public double TouchedPercent => Measure.Percent(PagesTouched, PagesGiven);

    /// <summary>vCPU busy %, averaged over the VMs.</summary>
    public double BusyPercentMean => _rows.Average(r => r.VcpuBusyPercent);

    /// <summary>The row of the VM called <paramref name="vm"/>.</summary>
    public VmUsage Of(string vm) => _rows.FirstOrDefault(r => r.Vm == vm)
        ?? throw new KeyNotFoundException($"no VM called '{vm}' (VMs: {string.Join(", ", _rows.Select(r => r.Vm))})");

    internal override IEnumerable<(string Name, string Value)> Sentences()
    {
        yield return ("memory touched", Invariant($"{PagesTouched} of {PagesGiven} pages ({TouchedPercent:F0}%)"));
        yield return ("vCPU busy", Invariant($"{BusyPercentMean:F0}% on average: ") + string.Join(", ", _rows.Select(r => Invariant($"{r.Vm} {r.VcpuBusyPercent:F0}%"))));
    }
}
