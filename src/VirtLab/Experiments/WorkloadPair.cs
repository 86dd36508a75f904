using VirtLab.Guest;

namespace VirtLab.Experiments;

/// <summary>Two workloads that share one core, one on each hardware thread: written <c>alu+alu</c> or <c>cpu+mem:pages=40</c>.</summary>
/// <param name="First">The workload of hardware thread 0.</param>
/// <param name="Second">The workload of hardware thread 1.</param>
public sealed record WorkloadPair(Workload First, Workload Second)
{
    /// <summary>Parses <c>WORKLOAD+WORKLOAD</c>; on failure returns null and a message saying what is wrong.</summary>
    public static WorkloadPair? Parse(string text, out string? error)
    {
        var parts = text.Split('+');
        if (parts.Length != 2) { error = $"'{text}' is not WORKLOAD+WORKLOAD"; return null; }
        var first = Workload.Parse(parts[0].Trim(), out error);
        if (first is null) return null;
        var second = Workload.Parse(parts[1].Trim(), out error);
        return second is null ? null : new WorkloadPair(first, second);
    }

    /// <summary>The pair as <see cref="Parse"/> reads it.</summary>
    public override string ToString() => $"{First}+{Second}";
}
