using System.Globalization;
using VirtLab.Grading.Judging;
using VirtLab.Scheduling;

namespace VirtLab.Grading.Scheduling;

/// <summary>
/// In the grader: a scheduler that decides nothing itself. It plays back a
/// <see cref="SchedulingLog"/>, checking that each decision answers the question the host is asking
/// right now (the same kind, the same thread, a candidate the host offered), and meanwhile measures
/// how long each vCPU waited for a thread after it woke. A log that does not fit stops the replay
/// with a <see cref="LogMismatchException"/> (which the host wraps in its PolicyViolationException).
/// </summary>
internal sealed class ReplayScheduler(SchedulingLog log) : IVcpuScheduler
{
    private int _next;
    private ulong _cyclesPerMs = 1;
    private readonly Dictionary<ISchedulable, ulong> _wokeAt = new();

    /// <summary>Per entity (by <c>Sched.Index</c>): the milliseconds from each wake-up (after boot) to its next dispatch.</summary>
    public Dictionary<int, List<double>> WakeLatencies { get; } = new();

    /// <summary>Decisions of the log not yet played back.</summary>
    public int Unplayed => log.Decisions.Count - _next;

    public string Name => "replay";

    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities) => _cyclesPerMs = cyclesPerMillisecond;

    public void Tick(ulong now) { }

    public void OnWake(ISchedulable entity, ulong now)
    {
        if (now > 0) _wokeAt.TryAdd(entity, now);
    }

    public void OnDeschedule(ISchedulable entity, ulong now) { }

    public void Account(ISchedulable entity, ulong cycles, ulong now) { }

    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        string[] d = Next(now, $"pick {thread.Index}");
        if (d.Length != 3 || d[0] != "pick" || d[1] != Text(thread.Index)) throw Mismatch(now, $"the host asked which entity idle thread {thread.Index} runs");
        if (d[2] == "-") return null;
        var e = candidates.FirstOrDefault(c => Text(c.Sched.Index) == d[2])
            ?? throw Mismatch(now, $"entity {d[2]} was not a candidate for thread {thread.Index} then (the candidates were {(candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(c => Text(c.Sched.Index))))})");
        if (_wokeAt.Remove(e, out ulong woke)) AddLatency(e, now - woke);
        return e;
    }

    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
    {
        string[] d = Next(now, $"keep {thread.Index}");
        if (d.Length != 2 || d[0] is not ("keep" or "preempt") || d[1] != Text(thread.Index))
            throw Mismatch(now, $"the host asked whether thread {thread.Index} should give up entity {Text(current.Sched.Index)}");
        return d[0] == "preempt";
    }

    /// <summary>At the end of the run: wake-ups still waiting for a thread count with the time they have waited so far.</summary>
    public void Finish(ulong now)
    {
        foreach (var (e, woke) in _wokeAt) AddLatency(e, now - woke);
        _wokeAt.Clear();
    }

    private void AddLatency(ISchedulable e, ulong cycles)
    {
        if (!WakeLatencies.TryGetValue(e.Sched.Index, out var list)) WakeLatencies[e.Sched.Index] = list = new();
        list.Add((double)cycles / _cyclesPerMs);
    }

    private string[] Next(ulong now, string asked)
    {
        if (_next >= log.Decisions.Count) throw new LogMismatchException($"the log ends after {log.Decisions.Count} decisions, at t={Ms(now)} ms, while the host still asks ('{asked} ...')");
        _current = log.Decisions[_next++] ?? "";
        return _current.Split(' ');
    }

    private string _current = "";

    private LogMismatchException Mismatch(ulong now, string what) =>
        new($"decision {_next} ('{_current}') at t={Ms(now)} ms does not fit: {what}");

    private string Ms(ulong now) => ((double)now / _cyclesPerMs).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Text(int i) => i.ToString(CultureInfo.InvariantCulture);
}
