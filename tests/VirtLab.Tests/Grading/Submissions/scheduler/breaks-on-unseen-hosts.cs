// Exercise 2, a submission that passes the visible tests (it hands everything to the solution,
// compiled with it, renamed Solution, whose usings it shares) but misbehaves on hosts it has not
// seen: on three threads it hangs in Initialize, on one thread it throws in PickNext.
public sealed class ProportionalShareScheduler : IVcpuScheduler
{
    private readonly Solution _solution = new();
    private int _threads;

    public string Name => "breaks-on-unseen-hosts";

    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
    {
        _threads = hardwareThreads;
        long spins = 0;
        while (hardwareThreads == 3) spins++;
        _solution.Initialize(hardwareThreads, cyclesPerMillisecond, entities);
    }

    public void Tick(ulong now) => _solution.Tick(now);
    public void OnWake(ISchedulable entity, ulong now) => _solution.OnWake(entity, now);
    public void OnDeschedule(ISchedulable entity, ulong now) => _solution.OnDeschedule(entity, now);
    public void Account(ISchedulable entity, ulong cycles, ulong now) => _solution.Account(entity, cycles, now);

    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now) =>
        _threads == 1 && now > 0 ? throw new InvalidOperationException("one thread is not enough") : _solution.PickNext(thread, candidates, now);

    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now) =>
        _solution.ShouldPreempt(thread, current, waiting, now);
}
