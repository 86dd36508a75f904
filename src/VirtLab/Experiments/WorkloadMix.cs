using System.Globalization;
using VirtLab.Guest;

namespace VirtLab.Experiments;

/// <summary>
/// A workload mix: one-vCPU VMs that take its <see cref="Workloads"/> in turn (VM 0 the first, VM 1
/// the second, and round again), all with the same guest timer tick. The four the field talks
/// about are built in and written by name (<c>web</c>, <c>services</c>, <c>mixed</c>, <c>batch</c>);
/// a mix of your own is written <c>NAME=WORKLOAD+WORKLOAD+...</c>, with <c>@TICK</c> at the end for
/// a guest timer tick other than 10 ms (<c>busyweb=cpu+io:work=20000,sleep=1</c>,
/// <c>short=bursty:busy=1,idle=3@1</c>).
/// </summary>
/// <param name="Name">The mix's name in tables and headlines.</param>
/// <param name="Workloads">The workloads its VMs take in turn (at least one).</param>
/// <param name="TickMilliseconds">The guest timer tick of every VM (ms): sleeps and bursts are counted in these ticks.</param>
public sealed record WorkloadMix(string Name, IReadOnlyList<Workload> Workloads, double TickMilliseconds = 10)
{
    /// <summary>The guest timer tick a mix has unless it says otherwise (ms), as <see cref="Hypervisor.VmConfig.TickMilliseconds"/>.</summary>
    public const double DefaultTickMilliseconds = 10;

    /// <summary>Every VM mostly idle: a little work, then sleep two 10 ms ticks in <c>wfi</c>, like a web server waiting for requests.</summary>
    public static readonly WorkloadMix Web = new("web", [Workload.Io(2000, 2)]);

    /// <summary>Bursty VMs, each busy about a quarter of the time, in bursts of 1, 2 or 3 ms (1 ms guest timer ticks).</summary>
    public static readonly WorkloadMix Services = new("services", [Workload.Bursty(1, 3), Workload.Bursty(2, 6), Workload.Bursty(3, 9)], 1);

    /// <summary>One CPU-bound VM for every three mostly idle ones.</summary>
    public static readonly WorkloadMix Mixed = new("mixed", [Workload.Cpu(), Workload.Io(2000, 2), Workload.Io(2000, 2), Workload.Io(2000, 2)]);

    /// <summary>Every VM CPU-bound: it computes without pause.</summary>
    public static readonly WorkloadMix Batch = new("batch", [Workload.Cpu()]);

    /// <summary>The four built-in mixes, from the idlest to the busiest.</summary>
    public static IReadOnlyList<WorkloadMix> All { get; } = [Web, Services, Mixed, Batch];

    /// <summary>The workload of VM <paramref name="index"/> (0-based): the mix's workloads in turn.</summary>
    public Workload WorkloadOf(int index) => Workloads[index % Workloads.Count];

    /// <summary>
    /// Parses a built-in mix's name or <c>NAME=WORKLOAD+WORKLOAD+...[@TICK]</c>; on failure returns
    /// null and a message saying what is wrong.
    /// </summary>
    public static WorkloadMix? Parse(string text, out string? error)
    {
        text = text.Trim();
        int equals = text.IndexOf('=');
        string name = equals < 0 ? text : text[..equals].Trim();
        if (equals < 0 || name.Contains(':') || name.Contains('+'))
        {
            var known = All.FirstOrDefault(m => m.Name == text.ToLowerInvariant());
            error = known is null ? $"'{text}' is not a mix: name one ({string.Join(", ", All.Select(m => m.Name))}) or write NAME=WORKLOAD+WORKLOAD+...[@TICK]" : null;
            return known;
        }
        string rest = text[(equals + 1)..];
        double tick = DefaultTickMilliseconds;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            if (!double.TryParse(rest[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out tick) || !(tick > 0))
            { error = $"mix '{name}': '{rest[(at + 1)..]}' after @ is not a guest timer tick in ms above 0"; return null; }
            rest = rest[..at];
        }
        var workloads = new List<Workload>();
        foreach (var part in rest.Split('+'))
        {
            var workload = Workload.Parse(part.Trim(), out error);
            if (workload is null) { error = $"mix '{name}': {error}"; return null; }
            workloads.Add(workload);
        }
        error = name.Length == 0 ? $"'{text}' names no mix before '='" : null;
        return error is null ? new WorkloadMix(name, workloads, tick) : null;
    }

    /// <summary>Whether this is the built-in mix of the same name, unchanged.</summary>
    private bool IsBuiltIn => All.Any(m => m.Name == Name && m.TickMilliseconds == TickMilliseconds && m.Workloads.SequenceEqual(Workloads));

    /// <summary>The mix as <see cref="Parse"/> reads it: a built-in one by name, others in full.</summary>
    public override string ToString() => IsBuiltIn ? Name
        : $"{Name}={string.Join("+", Workloads)}" + (TickMilliseconds == DefaultTickMilliseconds ? "" : "@" + TickMilliseconds.ToString("R", CultureInfo.InvariantCulture));
}
