using VirtLab.Scheduling;

namespace VirtLab.Hypervisor;

/// <summary>
/// The host's guard around its vCPU scheduler: every call goes through here, and an exception
/// from the scheduler becomes the host's <see cref="PolicyViolationException"/>. What
/// <see cref="PickNext"/> returns is checked by the host before it dispatches anything.
/// </summary>
internal sealed class CheckedScheduler(IVcpuScheduler scheduler, string name, Host host) : IVcpuScheduler
{
    public string Name => name;

    public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
    {
        try { scheduler.Initialize(hardwareThreads, cyclesPerMillisecond, entities); }
        catch (Exception e) { throw host.Threw(name, nameof(Initialize), 0, e); }
    }

    public void Tick(ulong now)
    {
        try { scheduler.Tick(now); }
        catch (Exception e) { throw host.Threw(name, nameof(Tick), now, e); }
    }

    public void OnWake(ISchedulable entity, ulong now)
    {
        try { scheduler.OnWake(entity, now); }
        catch (Exception e) { throw host.Threw(name, nameof(OnWake), now, e); }
    }

    public void OnDeschedule(ISchedulable entity, ulong now)
    {
        try { scheduler.OnDeschedule(entity, now); }
        catch (Exception e) { throw host.Threw(name, nameof(OnDeschedule), now, e); }
    }

    public void Account(ISchedulable entity, ulong cycles, ulong now)
    {
        try { scheduler.Account(entity, cycles, now); }
        catch (Exception e) { throw host.Threw(name, nameof(Account), now, e); }
    }

    public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
    {
        try { return scheduler.PickNext(thread, candidates, now); }
        catch (Exception e) { throw host.Threw(name, nameof(PickNext), now, e); }
    }

    public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
    {
        try { return scheduler.ShouldPreempt(thread, current, waiting, now); }
        catch (Exception e) { throw host.Threw(name, nameof(ShouldPreempt), now, e); }
    }
}
