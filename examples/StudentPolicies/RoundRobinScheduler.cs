using VirtLab.Scheduling;

namespace StudentPolicies;

/// <summary>
/// Round robin: runnable entities wait in one line, each runs for one slice, then goes to the back
/// of the line if someone is waiting. Weights and caps are ignored, so every busy vCPU gets the
/// same share of the CPU, whatever its VM paid for.
/// </summary>
public sealed class RoundRobinScheduler(double sliceMilliseconds = 10) : IVcpuScheduler
{
    private readonly List<ISchedulable> _line = new();                      // runnable, not running: longest waiting first
    private readonly Dictionary<ISchedulable, ulong> _sliceStart = new();   // when each running entity got its thread
    private ulong _sliceCycles;

    /// <summary>"round-robin".</summary>
    public string Name => "round-robin";

    /// <summary>How long each entity runs before it gives way to the next, in simulated ms.</summary>
    public double SliceMilliseconds => sliceMilliseconds;

    /// <summary>Entities this scheduler has put on a thread, in order (for tests and lessons).</summary>
    public List<string> Dispatched { get; } = new();

    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities) =>
        _sliceCycles = (ulong)(sliceMilliseconds * cyclesPerMillisecond);

    public void Tick(ulong now) { }

    public void OnWake(ISchedulable entity, ulong now) => JoinLine(entity);

    // Preempted: to the back of the line. Blocked: it joins again when it wakes.
    public void OnDeschedule(ISchedulable entity, ulong now)
    {
        if (entity.State == RunState.Runnable) JoinLine(entity);
    }

    public void Account(ISchedulable entity, ulong cycles, ulong now) { }

    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        foreach (var c in candidates) JoinLine(c);   // a VM created after the first step was never woken
        for (int i = 0; i < _line.Count; i++)
        {
            var e = _line[i];
            if (!candidates.Contains(e)) continue;   // co-stopped, or not allowed beside this thread's sibling: keeps its place
            _line.RemoveAt(i);
            _sliceStart[e] = now;
            Dispatched.Add(e.Name);
            return e;
        }
        return null;
    }

    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now) =>
        waiting.Count > 0 && now - _sliceStart[current] >= _sliceCycles;

    private void JoinLine(ISchedulable entity)
    {
        if (!_line.Contains(entity)) _line.Add(entity);
    }
}
