using VirtLab.Scheduling;

namespace VirtLab.Hypervisor;

/// <summary>
/// A host OS process on a Type 2 host: it alternates bursts of work (exponentially distributed,
/// mean <see cref="BackgroundProcess.MeanBurstMilliseconds"/>) and sleeps sized so that on average
/// it wants <see cref="BackgroundProcess.Utilization"/> of one hardware thread. Its randomness comes
/// from the host's seed, so runs repeat exactly.
/// </summary>
public sealed class HostProcess : ISchedulable
{
    private readonly Random _random;
    private readonly ulong _cyclesPerMs;
    private double _burstLeft;
    private ulong _wakeAt;

    internal HostProcess(BackgroundProcess spec, ulong cyclesPerMs, Random random)
    {
        Spec = spec;
        _cyclesPerMs = cyclesPerMs;
        _random = random;
        Profile.MemoryFraction = 0.3;
        Profile.FootprintBytes = spec.FootprintKiB * 1024;
        if (spec.Utilization <= 0) { State = RunState.Waiting; _wakeAt = ulong.MaxValue; }
        else { State = RunState.Waiting; _wakeAt = (ulong)(Exponential(SleepMeanMs) * cyclesPerMs); }
    }

    public BackgroundProcess Spec { get; }
    public string Name => $"host/{Spec.Name}";
    public int Group => -1;
    public int Weight => 256;
    public int CapPercent => 0;
    public RunState State { get; private set; }
    public SchedulingData Sched { get; } = new();
    public ExecutionProfile Profile { get; } = new();

    private double SleepMeanMs => Spec.Utilization >= 1 ? 0 : Spec.MeanBurstMilliseconds * (1 - Spec.Utilization) / Spec.Utilization;

    private double Exponential(double mean) => mean <= 0 ? 0 : -mean * Math.Log(1 - _random.NextDouble());

    public ulong Run(ulong now, ulong budget, double ipc)
    {
        if (State != RunState.Runnable) return 0;
        double used = Math.Min(budget, _burstLeft);
        _burstLeft -= used;
        if (_burstLeft <= 0.5)
        {
            State = RunState.Waiting;
            _wakeAt = now + (ulong)used + (ulong)(Exponential(SleepMeanMs) * _cyclesPerMs);
        }
        return (ulong)used;
    }

    public bool WakeIfDue(ulong now)
    {
        if (State != RunState.Waiting || now < _wakeAt) return false;
        State = RunState.Runnable;
        _burstLeft = Math.Max(1, Exponential(Spec.MeanBurstMilliseconds) * _cyclesPerMs);
        return true;
    }
}
