namespace VirtLab.Fleet;

/// <summary>
/// The traces of a whole fleet of VMs over the same intervals: what a trace reader returns and
/// what a scenario turns into VMs. Every trace has <see cref="Intervals"/> values.
/// </summary>
public sealed class TraceSet
{
    /// <summary>The length of a PlanetLab interval: 5 minutes (CoMon's sampling period; CloudSim's SCHEDULING_INTERVAL).</summary>
    public const double PlanetLabIntervalSeconds = 300;

    /// <summary>
    /// A set of <paramref name="traces"/> of equal length, each value the mean over
    /// <paramref name="intervalSeconds"/> seconds. <paramref name="source"/> says where they came from
    /// (a folder, a file, or the synthetic generator and its seed), for tables and reports.
    /// </summary>
    public TraceSet(string source, IEnumerable<Trace> traces, double intervalSeconds = PlanetLabIntervalSeconds)
    {
        Source = source;
        Traces = traces.ToArray();
        if (Traces.Count == 0) throw new ArgumentException($"{source}: no traces", nameof(traces));
        if (!(intervalSeconds > 0 && double.IsFinite(intervalSeconds))) throw new ArgumentOutOfRangeException(nameof(intervalSeconds), $"{intervalSeconds} s is not an interval length");
        IntervalSeconds = intervalSeconds;
        Intervals = Traces[0].Length;
        foreach (var trace in Traces)
            if (trace.Length != Intervals)
                throw new ArgumentException($"{source}: trace {trace.Name} has {trace.Length} intervals, trace {Traces[0].Name} has {Intervals}", nameof(traces));
    }

    /// <summary>Where the traces came from.</summary>
    public string Source { get; }

    /// <summary>The traces, in the order the VMs are created (for PlanetLab, sorted by file name).</summary>
    public IReadOnlyList<Trace> Traces { get; }

    /// <summary>Seconds per interval (300 for PlanetLab).</summary>
    public double IntervalSeconds { get; }

    /// <summary>Intervals per trace (288 for a PlanetLab day).</summary>
    public int Intervals { get; }

    /// <summary>The first <paramref name="count"/> traces, for a smaller fleet.</summary>
    public TraceSet Take(int count)
    {
        if (count < 1 || count > Traces.Count) throw new ArgumentOutOfRangeException(nameof(count), $"{count} is not between 1 and {Traces.Count}");
        return new TraceSet($"{Source} (first {count})", Traces.Take(count), IntervalSeconds);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Traces.Count} traces of {Intervals} x {IntervalSeconds:0.#} s from {Source}";
}
