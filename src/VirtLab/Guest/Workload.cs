using System.Globalization;

namespace VirtLab.Guest;

/// <summary>The guest kernel's workloads (the numbers are the kernel's <c>params.workload</c> values).</summary>
public enum WorkloadKind
{
    /// <summary>Integer hashing: ALU-bound, almost no memory traffic.</summary>
    Cpu = 0,
    /// <summary>Load/add/store over a working set of N pages with a stride.</summary>
    Memory = 1,
    /// <summary>A little work, then sleep in WFI for some timer ticks.</summary>
    Io = 2,
    /// <summary>Alternates a busy phase and an idle phase, each some ticks long.</summary>
    Bursty = 3,
    /// <summary>Exit-heavy: two trapping CSR accesses per op.</summary>
    ExitCsr = 4,
    /// <summary>Exit-heavy: four trapping MMIO register writes per op.</summary>
    ExitMmio = 5,
    /// <summary>The paravirtual version of <see cref="ExitMmio"/>: a descriptor in RAM and one hypercall per op.</summary>
    ExitPv = 6,
    /// <summary>Misbehaves: stores outside its RAM.</summary>
    Scribble = 7,
    /// <summary>Misbehaves: breaks its own trap vector, then faults.</summary>
    BadVector = 8,
    /// <summary>Memory demand in phases: allocate and walk N pages for T ticks, free them, sleep T ticks, repeat.</summary>
    Phases = 9,
    /// <summary>Touches T pages once and frees them (memory the guest has used), then walks a working set of N pages forever (optionally after a delay).</summary>
    WorkingSet = 10,
    /// <summary>Integer work with four independent chains (add, shift, xor): enough instruction-level parallelism to keep every ALU port busy.</summary>
    Alu = 11,
    /// <summary>Read-mostly data: fills N pages once with bytes that depend only on their offset (the same in every guest), then reads them forever.</summary>
    Cache = 12,
}

/// <summary>
/// A workload and its parameters. Parse one from text such as <c>cpu</c>, <c>mem:pages=64,stride=64</c>,
/// <c>alu</c>, <c>io:work=200,sleep=1</c>, <c>bursty:busy=5,idle=5</c>, <c>exit-csr:work=10</c>, <c>exit-mmio</c>, <c>exit-pv</c>,
/// <c>phases:pages=64,ticks=5</c>, <c>wset:pages=256,touch=448,delay=0</c>, <c>cache:pages=64</c>.
/// </summary>
public sealed record Workload(WorkloadKind Kind, uint Arg0 = 0, uint Arg1 = 0, uint Arg2 = 0, uint Arg3 = 0)
{
    public static Workload Cpu(uint roundsPerOp = 100) => new(WorkloadKind.Cpu, roundsPerOp);
    public static Workload Alu(uint roundsPerOp = 100) => new(WorkloadKind.Alu, roundsPerOp);

    /// <summary>Fills <paramref name="pages"/> pages once with the same bytes in every guest, then only reads them (see <see cref="WorkloadKind.Cache"/>).</summary>
    public static Workload Cache(uint pages) => new(WorkloadKind.Cache, pages);
    public static Workload Memory(uint pages, uint stride = 64) => new(WorkloadKind.Memory, pages, stride);
    public static Workload Io(uint workRounds = 200, uint sleepTicks = 1) => new(WorkloadKind.Io, workRounds, sleepTicks);
    public static Workload Bursty(uint busyTicks = 5, uint idleTicks = 5) => new(WorkloadKind.Bursty, busyTicks, idleTicks);
    public static Workload ExitCsr(uint workRounds = 10) => new(WorkloadKind.ExitCsr, workRounds);
    public static Workload ExitMmio(uint workRounds = 10) => new(WorkloadKind.ExitMmio, workRounds);
    public static Workload ExitPv(uint workRounds = 10) => new(WorkloadKind.ExitPv, workRounds);
    /// <summary>
    /// Sleeps <paramref name="startDelayTicks"/>, then allocates and walks <paramref name="pages"/> pages for
    /// <paramref name="ticks"/> timer ticks, frees them, sleeps <paramref name="idleTicks"/> (default: as long), repeats.
    /// </summary>
    public static Workload Phases(uint pages, uint ticks = 5, uint startDelayTicks = 0, uint? idleTicks = null) =>
        new(WorkloadKind.Phases, pages, ticks, startDelayTicks, idleTicks ?? ticks);

    /// <summary>
    /// Touches <paramref name="touchPages"/> pages once and frees them, so the guest has used that much
    /// memory and keeps it on its free list, then walks <paramref name="pages"/> pages (taken from that
    /// free list) forever: a working set smaller than the memory the guest holds. It starts after
    /// <paramref name="startDelayTicks"/> timer ticks (VMs that boot one after another).
    /// </summary>
    public static Workload WorkingSet(uint pages, uint touchPages, uint startDelayTicks = 0) => new(WorkloadKind.WorkingSet, pages, touchPages, startDelayTicks);

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["cpu", "mem", "io", "bursty", "exit-csr", "exit-mmio", "exit-pv", "scribble", "bad-vector", "phases", "wset", "alu", "cache"];

    /// <summary>Parses a workload; on failure returns null and a message naming what is wrong.</summary>
    public static Workload? Parse(string text, out string? error)
    {
        error = null;
        string name = text, rest = "";
        int colon = text.IndexOf(':');
        if (colon >= 0) { name = text[..colon]; rest = text[(colon + 1)..]; }
        var args = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || !uint.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out uint v))
            { error = $"workload '{text}': parameter '{part}' is not name=non-negative-integer"; return null; }
            args[kv[0]] = v;
        }
        uint Get(string key, uint fallback) => args.TryGetValue(key, out uint v) ? v : fallback;
        Workload? w = name.ToLowerInvariant() switch
        {
            "cpu" => Cpu(Get("rounds", 100)),
            "alu" => Alu(Get("rounds", 100)),
            "mem" or "memory" => Memory(Get("pages", 16), Get("stride", 64)),
            "io" => Io(Get("work", 200), Get("sleep", 1)),
            "bursty" => Bursty(Get("busy", 5), Get("idle", 5)),
            "exit-csr" => ExitCsr(Get("work", 10)),
            "exit-mmio" => ExitMmio(Get("work", 10)),
            "exit-pv" => ExitPv(Get("work", 10)),
            "scribble" => new Workload(WorkloadKind.Scribble),
            "bad-vector" => new Workload(WorkloadKind.BadVector),
            "phases" => Phases(Get("pages", 64), Get("ticks", 5), Get("delay", 0), args.ContainsKey("idle") ? Get("idle", 0) : null),
            "wset" => WorkingSet(Get("pages", 64), Get("touch", Get("pages", 64)), Get("delay", 0)),
            "cache" => Cache(Get("pages", 64)),
            _ => null,
        };
        if (w is null) error = $"workload: unknown workload '{name}' (known: {string.Join(", ", Names)})";
        else if (w.Kind is WorkloadKind.Memory or WorkloadKind.Phases or WorkloadKind.WorkingSet or WorkloadKind.Cache && w.Arg0 == 0) { error = $"workload: {name} needs pages >= 1"; return null; }
        return w;
    }

    public override string ToString() => Kind switch
    {
        WorkloadKind.Cpu => $"cpu:rounds={Arg0}",
        WorkloadKind.Alu => $"alu:rounds={Arg0}",
        WorkloadKind.Memory => $"mem:pages={Arg0},stride={Arg1}",
        WorkloadKind.Io => $"io:work={Arg0},sleep={Arg1}",
        WorkloadKind.Bursty => $"bursty:busy={Arg0},idle={Arg1}",
        WorkloadKind.ExitCsr => $"exit-csr:work={Arg0}",
        WorkloadKind.ExitMmio => $"exit-mmio:work={Arg0}",
        WorkloadKind.ExitPv => $"exit-pv:work={Arg0}",
        WorkloadKind.Scribble => "scribble",
        WorkloadKind.Phases => $"phases:pages={Arg0},ticks={Arg1},delay={Arg2},idle={Arg3}",
        WorkloadKind.WorkingSet => $"wset:pages={Arg0},touch={Arg1},delay={Arg2}",
        WorkloadKind.Cache => $"cache:pages={Arg0}",
        _ => "bad-vector",
    };
}
