using VirtLab.Scheduling;

// Exercise 2, a submission that hands every decision to VirtLab's own credit scheduler.
public sealed class ProportionalShareScheduler : IVcpuScheduler
{
    private readonly IVcpuScheduler _credit = new CreditScheduler();

    public string Name => "proportional-share";
    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities) => _credit.Initialize(hardwareThreads, cyclesPerMillisecond, entities);
    public void Tick(ulong now) => _credit.Tick(now);
    public void OnWake(ISchedulable entity, ulong now) => _credit.OnWake(entity, now);
    public void OnDeschedule(ISchedulable entity, ulong now) => _credit.OnDeschedule(entity, now);
    public void Account(ISchedulable entity, ulong cycles, ulong now) => _credit.Account(entity, cycles, now);
    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now) => _credit.PickNext(thread, candidates, now);
    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now) => _credit.ShouldPreempt(thread, current, waiting, now);
}
