namespace VirtLab.Fleet;

/// <summary>
/// One VM's measured demand over time: its CPU use in percent of the VM's own capacity for each
/// interval (a PlanetLab file holds 288 of them, one per 5 minutes of a day), and optionally the
/// memory it used. A value is the mean over its interval, so the fleet model holds it constant
/// from the start of the interval to its end.
/// </summary>
public sealed class Trace
{
    private readonly double[] _cpuPercent;
    private readonly double[]? _memoryMib;

    /// <summary>
    /// A trace named <paramref name="name"/>. Every CPU value must be in 0..100 and every memory
    /// value non-negative; <paramref name="memoryMib"/>, when given, has one value per interval too.
    /// </summary>
    public Trace(string name, IEnumerable<double> cpuPercent, IEnumerable<double>? memoryMib = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a trace needs a name", nameof(name));
        Name = name;
        _cpuPercent = cpuPercent.ToArray();
        if (_cpuPercent.Length == 0) throw new ArgumentException($"trace {name}: no values", nameof(cpuPercent));
        for (int i = 0; i < _cpuPercent.Length; i++)
            if (!(_cpuPercent[i] >= 0 && _cpuPercent[i] <= 100))
                throw new ArgumentOutOfRangeException(nameof(cpuPercent), $"trace {name}: interval {i}: {_cpuPercent[i]} is not a percentage in 0..100");
        if (memoryMib is not null)
        {
            _memoryMib = memoryMib.ToArray();
            if (_memoryMib.Length != _cpuPercent.Length)
                throw new ArgumentException($"trace {name}: {_memoryMib.Length} memory values for {_cpuPercent.Length} intervals", nameof(memoryMib));
            for (int i = 0; i < _memoryMib.Length; i++)
                if (!(_memoryMib[i] >= 0 && double.IsFinite(_memoryMib[i])))
                    throw new ArgumentOutOfRangeException(nameof(memoryMib), $"trace {name}: interval {i}: {_memoryMib[i]} MiB is not a memory size");
        }
    }

    /// <summary>The VM's name: for PlanetLab, the file name (the monitored host and slice).</summary>
    public string Name { get; }

    /// <summary>How many intervals the trace covers.</summary>
    public int Length => _cpuPercent.Length;

    /// <summary>CPU use in each interval, in percent (0..100) of the VM's MIPS.</summary>
    public IReadOnlyList<double> CpuPercent => _cpuPercent;

    /// <summary>Memory used in each interval, in MiB, when the trace records it (the CSV format's optional <c>mem_mib</c>); otherwise null.</summary>
    public IReadOnlyList<double>? MemoryMib => _memoryMib;

    /// <summary>The CPU values without a copy, for the simulator's inner loops.</summary>
    internal double[] CpuValues => _cpuPercent;

    /// <summary>The mean CPU use over the whole trace, in percent.</summary>
    public double MeanCpuPercent => _cpuPercent.Average();

    /// <summary>The highest CPU use in any interval, in percent.</summary>
    public double PeakCpuPercent => _cpuPercent.Max();

    /// <summary>
    /// The CPU use that <paramref name="fraction"/> of the intervals do not exceed (0.95: the 95th
    /// percentile, a common basis for right-sizing a VM), in percent. Nearest-rank definition.
    /// </summary>
    public double CpuPercentile(double fraction)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), $"{fraction} is not a fraction in (0, 1]");
        var sorted = (double[])_cpuPercent.Clone();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Max(rank, 1) - 1];
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Length} intervals, mean {MeanCpuPercent:F1} % CPU)";
}
