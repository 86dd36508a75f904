// Exercise 2, a submission that overwrites its own compiled file in the grader's scratch folder
// (the child runs in <scratch>/run, beside student.dll), then ends its process, so that the next
// test runs in a fresh child. Had that child loaded the file, whatever was written there would run
// unchecked; it loads the bytes the grader inspected, and the submission is the solution again.
public sealed class ProportionalShareScheduler : IVcpuScheduler
{
    private readonly Solution _solution = new();

    public string Name => "overwrites-its-compiled-file";

    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
    {
        if (!File.Exists("overwritten"))
        {
            File.WriteAllText(Path.Combine("..", "student.dll"), "whatever the student likes, unchecked");
            File.WriteAllText("overwritten", "");
            Environment.Exit(3);
        }
        _solution.Initialize(hardwareThreads, cyclesPerMillisecond, entities);
    }

    public void Tick(ulong now) => _solution.Tick(now);
    public void OnWake(ISchedulable entity, ulong now) => _solution.OnWake(entity, now);
    public void OnDeschedule(ISchedulable entity, ulong now) => _solution.OnDeschedule(entity, now);
    public void Account(ISchedulable entity, ulong cycles, ulong now) => _solution.Account(entity, cycles, now);
    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now) => _solution.PickNext(thread, candidates, now);
    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now) => _solution.ShouldPreempt(thread, current, waiting, now);
}
