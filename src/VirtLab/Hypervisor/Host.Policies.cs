using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using VirtLab.Memory;
using VirtLab.Scheduling;

namespace VirtLab.Hypervisor;

// The host's side of its replaceable policies: every call into a policy, and every check of what
// it returned, before the host acts on it. A policy that throws or returns nonsense stops the host
// with a PolicyViolationException; nothing of the bad decision has been carried out by then.
public sealed partial class Host
{
    // A scheduler keeps per-host state (its entities, its clock), so one object schedules one host.
    private static readonly ConditionalWeakTable<IVcpuScheduler, Host> SchedulerHosts = new();

    /// <summary>
    /// The violation that stopped this host, or null while it runs. Once set, <see cref="Step"/> and
    /// <see cref="RunFor"/> throw it again; the host's memory and accounting stay as they were when the policy failed.
    /// </summary>
    public PolicyViolationException? PolicyFailure { get; private set; }

    /// <summary>Records (the first) violation, which stops the host, and returns it to be thrown.</summary>
    internal PolicyViolationException Violation(string policy, string member, ulong now, string problem, Exception? inner = null) =>
        PolicyFailure ??= new PolicyViolationException(policy, member, (double)now / Config.CyclesPerMillisecond, problem, inner);

    /// <summary>A policy threw <paramref name="e"/> (or passed on the host's own violation, which stands).</summary>
    internal PolicyViolationException Threw(string policy, string member, ulong now, Exception e) =>
        PolicyFailure ?? Violation(policy, member, now, $"threw {e.GetType().Name} ({e.Message})", e);

    // A policy may catch the host's exception and carry on; the host does not.
    private void ThrowIfFailed()
    {
        if (PolicyFailure is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    private static string NameOf<T>(T policy, Func<T, string> name) where T : class
    {
        try { return name(policy) is { Length: > 0 } n ? n : policy.GetType().Name; }
        catch (Exception) { return policy.GetType().Name; }   // a Name that throws is reported under the type's name
    }

    private void BindScheduler()
    {
        if (!SchedulerHosts.TryAdd(Scheduler, this))
            throw new ConfigurationException("scheduler",
                $"this {Scheduler.GetType().Name} object ('{_scheduler.Name}') already schedules another host; give each host a scheduler object of its own");
    }

    // ------------------------------------------------------------------ the scheduler

    /// <summary>Why <paramref name="e"/>, which a scheduler returned from PickNext for <paramref name="t"/>, was not a candidate.</summary>
    private string WhyNotCandidate(ISchedulable e, HardwareThread t)
    {
        string name = $"'{e.Name}'";
        int i = e.Sched.Index;
        if (i < 0 || i >= _entities.Count || !ReferenceEquals(_entities[i], e)) return $"{name}, which is not an entity of this host";
        if (e.State != RunState.Runnable) return $"{name}, which is not runnable (it is {e.State})";
        if (e.Sched.Thread >= 0) return $"{name}, which is already running on hardware thread {e.Sched.Thread}";
        if (e.Sched.CoStopped) return $"{name}, which is co-stopped (it ran ahead of its sibling vCPUs)";
        if (IsMemoryBlocked(e)) return $"{name}, whose VM is blocked in the low memory state";
        var sibling = t.SiblingIndex >= 0 ? _threads[t.SiblingIndex].Current : null;
        return $"{name}, which the SMT placement '{_placementName}' keeps off hardware thread {t.Index}" + (sibling is null ? "" : $" beside '{sibling.Name}'");
    }

    // ------------------------------------------------------------------ SMT placement

    private string _placementName = "";

    private int[] CheckedFillOrder()
    {
        var placement = Config.Placement;
        _placementName = NameOf(placement, p => p.Name);
        IReadOnlyList<int>? order;
        try { order = placement.FillOrder(_threadsView); }
        catch (Exception e) { throw Threw(_placementName, nameof(ISmtPlacement.FillOrder), 0, e); }
        var seen = new bool[_threads.Length];
        string? problem = order is null ? "returned null" : order.Count != _threads.Length ? $"returned {order.Count} thread indexes for {_threads.Length} hardware threads" : null;
        for (int k = 0; problem is null && k < order!.Count; k++)
        {
            int i = order[k];
            if (i < 0 || i >= _threads.Length) problem = $"returned thread index {i}, but the host's threads are 0..{_threads.Length - 1}";
            else if (seen[i]) problem = $"returned thread {i} twice";
            else seen[i] = true;
        }
        if (problem is not null) throw Violation(_placementName, nameof(ISmtPlacement.FillOrder), 0, problem + " (it must list every thread once)");
        return order!.ToArray();
    }

    private bool MayRunBeside(ISchedulable candidate, ISchedulable sibling, ulong now)
    {
        try { return Config.Placement.MayRunBeside(candidate, sibling); }
        catch (Exception e) { throw Threw(_placementName, nameof(ISmtPlacement.MayRunBeside), now, e); }
    }

    /// <summary>
    /// Asks the placement, thread by thread, whether what runs there should move to an idle thread, and moves it.
    /// Only when some usable thread is idle: otherwise the only possible answer is "stay".
    /// </summary>
    private void MoveToIdleCores(ulong now)
    {
        if (Array.TrueForAll(_threads, t => !t.Usable || t.Current is not null)) return;
        foreach (var from in _threads)
        {
            if (from.Current is not { } e) continue;
            HardwareThread? to;
            try { to = Config.Placement.MoveTo(from, _threadsView); }
            catch (Exception ex) { throw Threw(_placementName, nameof(ISmtPlacement.MoveTo), now, ex); }
            if (to is null) continue;
            string? problem = to.Index < 0 || to.Index >= _threads.Length || !ReferenceEquals(_threads[to.Index], to) ? "a hardware thread of another host"
                : ReferenceEquals(to, from) ? $"thread {to.Index}, the thread it was asked about"
                : !to.Usable ? $"thread {to.Index}, which is offline (one thread per core)"
                : to.Current is { } busy ? $"thread {to.Index}, which is running '{busy.Name}'"
                : null;
            if (problem is not null)
                throw Violation(_placementName, nameof(ISmtPlacement.MoveTo), now, $"returned {problem} as the place for '{e.Name}' from thread {from.Index}");
            from.Current = null;
            to.Current = e;
            e.Sched.Thread = to.Index;
        }
    }

    // ------------------------------------------------------------------ memory policies

    // "Reclaim" while the reclamation policy's Reclaim runs, "ChooseVictim" while it chooses; the levers of
    // IReclaimableVm work only in Reclaim, between steps, when no hart is executing.
    private string? _reclaimCall;

    // Refilled, not allocated, once per reclamation period: the policy reads it during the call.
    private readonly List<ReclaimableVm> _running = new();

    private List<ReclaimableVm> RunningVmViews()
    {
        _running.Clear();
        foreach (var v in _vmViews) if (!v.Vm.IsStopped) _running.Add(v);
        return _running;
    }

    private string ReclamationPolicyName => Config.ReclamationPolicy is { } p ? NameOf(p, q => q.Name) : "none";

    /// <summary>A reclamation policy asked for something the host will not do.</summary>
    internal PolicyViolationException ReclaimViolation(string problem) =>
        Violation(ReclamationPolicyName, _reclaimCall ?? "a call outside Reclaim", Now, problem);

    /// <summary>Throws unless the reclamation policy may change <paramref name="vm"/> now.</summary>
    internal void CheckReclaimChange(VirtualMachine vm, string action)
    {
        if (_reclaimCall != nameof(IReclamationPolicy.Reclaim)) throw ReclaimViolation($"{action} '{vm.Name}' outside Reclaim");
        if (vm.IsStopped) throw ReclaimViolation($"{action} '{vm.Name}', which has stopped");
    }

    private void Reclaim(IReclamationPolicy policy, int pagesWanted, int surplusPages, List<ReclaimableVm> running)
    {
        _reclaimCall = nameof(IReclamationPolicy.Reclaim);
        try { policy.Reclaim(ReclamationState, pagesWanted, surplusPages, running, _swapRandom); }
        catch (Exception e) { throw Threw(ReclamationPolicyName, nameof(IReclamationPolicy.Reclaim), Now, e); }
        finally { _reclaimCall = null; }
        ThrowIfFailed();
    }

    private VirtualMachine ChooseVictim(IReclamationPolicy policy, List<ReclaimableVm> candidates)
    {
        IReclaimableVm chosen;
        _reclaimCall = nameof(IReclamationPolicy.ChooseVictim);
        try { chosen = policy.ChooseVictim(candidates, _swapRandom); }
        catch (Exception e) { throw Threw(ReclamationPolicyName, nameof(IReclamationPolicy.ChooseVictim), Now, e); }
        finally { _reclaimCall = null; }
        ThrowIfFailed();
        foreach (var c in candidates) if (ReferenceEquals(c, chosen)) return c.Vm;
        string what = chosen is null ? "null" : chosen is ReclaimableVm own && _vmViews.Contains(own) ? $"'{own.Name}'" : $"'{chosen.Name}', a VM this host does not run";
        throw Violation(ReclamationPolicyName, nameof(IReclamationPolicy.ChooseVictim), Now,
            $"returned {what}, which is not among its candidates ({string.Join(", ", candidates.Select(c => $"'{c.Name}'"))})");
    }

    private void ScanForSharing(List<ReclaimableVm> running)
    {
        var scan = Config.SharingScan;
        for (int i = 0; i < Config.SharingScanPages && running.Count > 0; i++)
        {
            int vm, page;
            try { (vm, page) = scan.NextPage(running, _swapRandom); }
            catch (Exception e) { throw Threw(NameOf(scan, s => s.Name), nameof(ISharingScan.NextPage), Now, e); }
            if (vm < 0 || vm >= running.Count)
                throw Violation(NameOf(scan, s => s.Name), nameof(ISharingScan.NextPage), Now, $"returned VM index {vm}, but the running VMs are 0..{running.Count - 1}");
            if (page < 0 || page >= running[vm].MaxPages)
                throw Violation(NameOf(scan, s => s.Name), nameof(ISharingScan.NextPage), Now, $"returned page {page} of '{running[vm].Name}', which has pages 0..{running[vm].MaxPages - 1}");
            Sharing.TryShare(running[vm].Vm.Memory, page);   // only a mapped page can be shared; TryShare checks
        }
    }
}
