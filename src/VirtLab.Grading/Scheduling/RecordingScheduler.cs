using System.Globalization;
using VirtLab.Scheduling;

namespace VirtLab.Grading.Scheduling;

/// <summary>
/// In the child: passes every call on to the student's scheduler and writes down what it decided
/// (<see cref="SchedulingLog"/>'s format). It checks nothing; the host does, and the grader's replay does again.
/// </summary>
internal sealed class RecordingScheduler(IVcpuScheduler student) : IVcpuScheduler
{
    /// <summary>The decisions so far.</summary>
    public List<string> Decisions { get; } = new();

    public string Name => student.Name;

    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities) =>
        student.Initialize(hardwareThreads, cyclesPerMillisecond, entities);

    public void Tick(ulong now) => student.Tick(now);

    public void OnWake(ISchedulable entity, ulong now) => student.OnWake(entity, now);

    public void OnDeschedule(ISchedulable entity, ulong now) => student.OnDeschedule(entity, now);

    public void Account(ISchedulable entity, ulong cycles, ulong now) => student.Account(entity, cycles, now);

    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        var e = student.PickNext(thread, candidates, now);
        Decisions.Add(string.Create(CultureInfo.InvariantCulture, $"pick {thread.Index} {(e is null ? "-" : e.Sched.Index.ToString(CultureInfo.InvariantCulture))}"));
        return e;
    }

    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
    {
        bool preempt = student.ShouldPreempt(thread, current, waiting, now);
        Decisions.Add(string.Create(CultureInfo.InvariantCulture, $"{(preempt ? "preempt" : "keep")} {thread.Index}"));
        return preempt;
    }
}
