using System.Collections.ObjectModel;
using VirtLab.Guest;
using VirtLab.Machine;
using VirtLab.Memory;
using VirtLab.Scheduling;

namespace VirtLab.Hypervisor;

/// <summary>
/// A physical host running a hypervisor: hardware threads on cores, RAM handed out frame by frame,
/// VMs, and a scheduler that puts vCPUs (and, on a Type 2 host, the host OS's own processes) on the
/// hardware threads.
/// <para>
/// Its policies are replaceable (<see cref="HostConfig.Scheduler"/>, <see cref="HostConfig.Placement"/>,
/// <see cref="HostConfig.ReclamationPolicy"/>, <see cref="HostConfig.SharingScan"/>): the host checks
/// every decision a policy returns before it acts on it, and a policy that throws or returns
/// nonsense stops the host with a <see cref="PolicyViolationException"/> (<see cref="PolicyFailure"/>).
/// </para>
/// <para>
/// Simulation: time advances in steps of <see cref="HostConfig.StepMilliseconds"/>. In each step
/// waiting entities whose interrupt is due wake up, the scheduler runs its periodic work, relaxed
/// co-scheduling decides which vCPUs of SMP VMs must hold back, each hardware thread keeps or
/// replaces what it runs, and then each thread runs its entity for the step at the instructions
/// per cycle the SMT core model allows given what the sibling thread runs. Hardware threads are
/// simulated one after another, never in parallel, so a run is exactly repeatable.
/// </para>
/// </summary>
public sealed partial class Host
{
    private readonly List<VirtualMachine> _vms = new();
    private readonly List<ReclaimableVm> _vmViews = new();   // what memory policies see of each VM, index = VM id
    private readonly List<ISchedulable> _entities = new();
    private readonly ReadOnlyCollection<ISchedulable> _entitiesView;
    private readonly List<HostProcess> _hostProcesses = new();
    private readonly HardwareThread[] _threads;
    private readonly ReadOnlyCollection<HardwareThread> _threadsView;
    private readonly CheckedScheduler _scheduler;
    private readonly int[] _fillOrder;
    private readonly ulong _stepCycles;
    private bool _started;

    /// <summary>
    /// Builds a host; throws <see cref="ConfigurationException"/> naming the field if <paramref name="config"/>
    /// is invalid (or its scheduler object already schedules another host), and <see cref="PolicyViolationException"/>
    /// if its SMT placement gives an impossible fill order.
    /// </summary>
    public Host(HostConfig config)
    {
        config.Validate();
        Config = config;
        Costs = config.Costs;
        Ram = new PhysicalMemory(config.RamPages);
        Frames = new FrameAllocator(Ram);
        SwapArea = config.SwapPages > 0 ? new HostSwapArea(config.SwapPages) : null;
        Sharing = new PageSharing(Frames);
        _swapRandom = new Random(config.Seed ^ 0x5A5A);
        ReservedPages = Frames.Reserve(config.Kind == HypervisorKind.Type2 ? config.HostOsMemoryPages : config.HypervisorMemoryPages);
        Scheduler = config.Scheduler ?? (config.Kind == HypervisorKind.Type2 ? new FairShareScheduler() : new CreditScheduler(config.Credit));
        _scheduler = new CheckedScheduler(Scheduler, NameOf(Scheduler, p => p.Name), this);
        _entitiesView = _entities.AsReadOnly();
        _stepCycles = Math.Max(1, (ulong)(config.StepMilliseconds * config.CyclesPerMillisecond));

        _threads = new HardwareThread[config.Cores * config.ThreadsPerCore];
        for (int c = 0; c < config.Cores; c++)
            for (int t = 0; t < config.ThreadsPerCore; t++)
            {
                int index = c * config.ThreadsPerCore + t;
                int sibling = config.ThreadsPerCore == 2 ? c * 2 + (1 - t) : -1;
                _threads[index] = new HardwareThread(index, c, sibling, usable: t == 0 || !config.OneThreadPerCore);
            }
        _threadsView = Array.AsReadOnly(_threads);
        _fillOrder = CheckedFillOrder();

        if (config.Kind == HypervisorKind.Type2)
        {
            var random = new Random(config.Seed);
            foreach (var spec in config.BackgroundProcesses)
            {
                var p = new HostProcess(spec, config.CyclesPerMillisecond, new Random(random.Next()));
                _hostProcesses.Add(p);
                Adopt(p);
            }
        }
        BindScheduler();   // last: a host that failed to build leaves its scheduler free for another
    }

    // Every entity gets its index in Entities, which schedulers key their per-entity records by.
    private void Adopt(ISchedulable e)
    {
        e.Sched.Index = _entities.Count;
        _entities.Add(e);
    }

    public HostConfig Config { get; }
    public CostModel Costs { get; }
    public PhysicalMemory Ram { get; }
    public FrameAllocator Frames { get; }
    /// <summary>The vCPU scheduler: <see cref="HostConfig.Scheduler"/>, or the default for the kind of host.</summary>
    public IVcpuScheduler Scheduler { get; }
    /// <summary>Where host swapping puts guest pages (null when <see cref="HostConfig.SwapPages"/> is 0).</summary>
    public HostSwapArea? SwapArea { get; }
    private readonly Random _swapRandom;

    /// <summary>The host's seeded random source for swapping (reclamation policies and swap victims draw from it).</summary>
    internal Random SwapRandom => _swapRandom;

    /// <summary>The host's content-based page sharing table (scanned when <see cref="HostConfig.SharingScanPages"/> &gt; 0).</summary>
    public PageSharing Sharing { get; }

    /// <summary>The free-memory state the reclamation policy last saw.</summary>
    public ReclamationState ReclamationState { get; private set; }

    /// <summary>Reclamation periods spent in each state (index: <see cref="Memory.ReclamationState"/>).</summary>
    public long[] PeriodsInState { get; } = new long[4];

    private ulong _nextReclaim;

    /// <summary>
    /// Once per <see cref="HostConfig.ReclamationPeriodMilliseconds"/>: updates the free-memory state
    /// (with hysteresis) and lets the policy set balloon targets and swap pages out. Runs between
    /// steps, when no hart is executing, so frames can be taken safely.
    /// </summary>
    private void ReclaimIfDue(ulong now)
    {
        if (now < _nextReclaim) return;
        _nextReclaim = now + Math.Max(1, (ulong)(Config.ReclamationPeriodMilliseconds * Config.CyclesPerMillisecond));
        if (Config.SharingScanPages > 0) ScanForSharing(RunningVmViews());
        if (Config.ReclamationPolicy is not { } policy) return;
        var t = Config.ReclamationThresholds;
        int available = GuestAvailablePages, free = Frames.FreeFrames;
        ReclamationState = t.Next(ReclamationState, (double)free / available);
        PeriodsInState[(int)ReclamationState]++;
        int highFrames = (int)Math.Ceiling(t.High * available);
        Reclaim(policy, ReclamationState == ReclamationState.High ? 0 : Math.Max(0, highFrames - free), Math.Max(0, free - highFrames), RunningVmViews());
        BlockInLowState();
    }

    /// <summary>
    /// ESX's last resort short of failing faults: in the low state, VMs holding more frames than
    /// their allocation target stop running (so they cannot fault in more) while host swapping
    /// frees memory. They stay blocked until the host leaves the low state.
    /// </summary>
    private void BlockInLowState()
    {
        foreach (var vm in _vms)
        {
            if (vm.IsStopped) continue;
            if (ReclamationState != ReclamationState.Low) vm.IsMemoryBlocked = false;
            else if (!vm.IsMemoryBlocked && vm.Memory.MappedPages > vm.TargetPages) { vm.IsMemoryBlocked = true; vm.MemoryBlocks++; }
        }
    }

    private ulong _nextActiveSample;

    /// <summary>
    /// Once per <see cref="ActiveMemorySampling.PeriodMilliseconds"/>: each VM's active-memory
    /// estimator ends its period and watches a new sample (by default only while the host is overcommitted).
    /// </summary>
    private void SampleActiveMemoryIfDue(ulong now)
    {
        if (now < _nextActiveSample) return;
        _nextActiveSample = now + Math.Max(1, (ulong)(Config.ActiveMemorySampling.PeriodMilliseconds * Config.CyclesPerMillisecond));
        bool sample = !Config.ActiveMemorySampling.OnlyWhenOvercommitted || OvercommitRatio > 1;
        foreach (var vm in _vms)
        {
            if (vm.IsStopped) continue;
            if (sample) vm.ActiveMemory.Advance();
            else vm.ActiveMemory.Stop();   // the host fits in RAM again: no more touch faults
        }
    }

    private static bool IsMemoryBlocked(ISchedulable e) => e is Vcpu v && v.Vm.IsMemoryBlocked;

    /// <summary>Frames available to VMs: host RAM minus what the hypervisor or host OS keeps.</summary>
    public int GuestAvailablePages => Ram.FrameCount - ReservedPages;

    /// <summary>Pages guaranteed to VMs by their min (what admission control has promised).</summary>
    public int GuaranteedPages => _vms.Where(v => !v.IsStopped).Sum(v => v.Config.MinPages);

    /// <summary>The RAM overcommit ratio: the sum of the VMs' max over the RAM available to guests.</summary>
    public double OvercommitRatio => (double)_vms.Where(v => !v.IsStopped).Sum(v => v.Config.MemoryPages) / GuestAvailablePages;
    /// <summary>Frames kept by the hypervisor (Type 1) or the host OS (Type 2).</summary>
    public int ReservedPages { get; }
    public IReadOnlyList<VirtualMachine> Vms => _vms;
    /// <summary>The hardware threads, core by core (index = core × threads per core + thread).</summary>
    public IReadOnlyList<HardwareThread> Threads => _threadsView;
    public IReadOnlyList<HostProcess> HostProcesses => _hostProcesses;
    /// <summary>Everything the scheduler schedules: host processes first, then each VM's vCPUs as it is created. <see cref="SchedulingData.Index"/> is the position here.</summary>
    public IReadOnlyList<ISchedulable> Entities => _entitiesView;

    /// <summary>Simulated time in cycles.</summary>
    public ulong Now { get; internal set; }
    private ulong _stepStart;

    /// <summary>Simulated time in milliseconds.</summary>
    public double NowMilliseconds => (double)_stepStart / Config.CyclesPerMillisecond;

    /// <summary>Cycles of all usable hardware threads spent running something.</summary>
    public ulong BusyCycles => (ulong)_threads.Sum(t => (long)t.BusyCycles);

    /// <summary>Cycles of usable hardware thread time elapsed.</summary>
    public ulong CapacityCycles => _stepStart * (ulong)Config.UsableThreads;

    /// <summary>
    /// Creates a VM running the guest kernel with <paramref name="config"/>'s workload. Throws
    /// <see cref="ConfigurationException"/> naming the field if the configuration is invalid or does not fit.
    /// </summary>
    public VirtualMachine CreateVm(VmConfig config) => CreateVm(config, GuestKernel.Image);

    /// <summary>Creates a VM that boots <paramref name="image"/> instead of the guest kernel (for tests and lessons).</summary>
    public VirtualMachine CreateVm(VmConfig config, Programs.ProgramImage image)
    {
        config.Validate(string.IsNullOrWhiteSpace(config.Name) ? $"vm[{_vms.Count}]" : config.Name);
        if (_vms.Any(v => v.Name == config.Name)) throw new ConfigurationException($"{config.Name}.name", "another VM has the same name");
        if (config.MemoryPages > Ram.FrameCount)
            throw new ConfigurationException($"{config.Name}.memory-pages", $"{config.MemoryPages} pages is more than the host's {Ram.FrameCount} pages of RAM");
        int guaranteed = GuaranteedPages;
        if (guaranteed + config.MinPages > GuestAvailablePages)
            throw new ConfigurationException($"{config.Name}.min-pages",
                $"admission control: cannot guarantee {config.MinPages} pages; the host has {GuestAvailablePages} pages for VMs and " +
                $"{guaranteed} are already guaranteed to other VMs, so only {GuestAvailablePages - guaranteed} can still be promised");
        VirtualMachine vm;
        try { vm = new VirtualMachine(this, _vms.Count, config, image); }
        catch
        {
            // The image was partly loaded: give its frames back, or they would be lost (and the next VM, with the same id, would own them).
            for (int f = 0; f < Frames.TotalFrames; f++) if (Frames.OwnerOf(f) == _vms.Count) Frames.Release(f, _vms.Count);
            throw;
        }
        _vms.Add(vm);
        _vmViews.Add(new ReclaimableVm(vm));
        foreach (var v in vm.Vcpus) Adopt(v);
        return vm;
    }

    /// <summary>
    /// A guest page fault found no free frame. With <see cref="HostConfig.SwapOnDemand"/>, page out
    /// one random page of another VM that is above its min, the one the reclamation policy chooses
    /// (never of the faulting VM, whose hart is executing right now). Returns true if a frame was freed.
    /// </summary>
    internal bool OnHostOutOfFrames(GuestMemory faulting)
    {
        if (!Config.SwapOnDemand || SwapArea is not { HasRoom: true }) return false;
        var victims = _vmViews.Where(v => !v.Vm.IsStopped && v.Vm.Memory != faulting && v.MappedPages > v.MinPages).ToList();
        if (victims.Count == 0) return false;
        // The policy picks the VM (the default one: lowest shares per page); without one, a random VM.
        var vm = Config.ReclamationPolicy is { } policy
            ? ChooseVictim(policy, victims)
            : victims[_swapRandom.Next(victims.Count)].Vm;
        return vm.Memory.SwapOutRandom(1, _swapRandom, vm.Config.MinPages) == 1;
    }

    internal void OnVmStopped(VirtualMachine vm)
    {
        foreach (var t in _threads)
            if (t.Current is Vcpu v && v.Vm == vm) { t.Current = null; v.Sched.Thread = -1; }
    }

    /// <summary>Runs for <paramref name="milliseconds"/> of simulated time.</summary>
    public void RunFor(double milliseconds)
    {
        ulong end = _stepStart + (ulong)(milliseconds * Config.CyclesPerMillisecond);
        while (_stepStart < end) Step();
    }

    /// <summary>Runs one scheduling step. Throws <see cref="PolicyFailure"/> again if a policy has stopped the host.</summary>
    public void Step()
    {
        ThrowIfFailed();
        if (!_started)
        {
            _scheduler.Initialize(Config.UsableThreads, Config.CyclesPerMillisecond, _entitiesView);
            foreach (var e in _entities) if (e.State == RunState.Runnable) _scheduler.OnWake(e, 0);
            _started = true;
        }
        ulong now = _stepStart, dt = _stepCycles;
        Now = now;
        SampleActiveMemoryIfDue(now);
        ReclaimIfDue(now);
        foreach (var vm in _vms) if (vm.IsMemoryBlocked) vm.MemoryBlockedCycles += dt;

        foreach (var e in _entities)
            if (e.State == RunState.Waiting && e.WakeIfDue(now)) _scheduler.OnWake(e, now);
        _scheduler.Tick(now);
        UpdateCoStop();

        // Keep or give up what each thread runs.
        var waiting = Candidates(_waiting);
        foreach (var t in _threads)
        {
            if (t.Current is not { } cur) continue;
            if (cur.State != RunState.Runnable || cur.Sched.CoStopped || IsMemoryBlocked(cur) || _scheduler.ShouldPreempt(t, cur, waiting, now))
                Deschedule(t, now);
        }
        foreach (int i in _fillOrder)
        {
            var t = _threads[i];
            if (!t.Usable || t.Current is not null) continue;
            Dispatch(t, now);
        }
        if (Config.ThreadsPerCore == 2 && !Config.OneThreadPerCore) MoveToIdleCores(now);

        // Run.
        foreach (var t in _threads)
        {
            if (!t.Usable) continue;
            ulong budget = dt, time = now;
            while (budget > 0)
            {
                var e = t.Current ?? Dispatch(t, time);
                if (e is null) break;
                if (t.Last is Vcpu && e is Vcpu && !ReferenceEquals(t.Last, e) && Costs.WorldSwitchCycles > 0)
                {
                    ulong sw = Math.Min(budget, Costs.WorldSwitchCycles);
                    e.Sched.RunThisStep += sw; budget -= sw; time += sw; t.BusyCycles += sw;
                }
                t.Last = e;
                if (budget == 0) break;
                double ipc = IpcFor(t, e, out bool siblingBusy);
                ulong used = e.Run(time, budget, ipc);
                _scheduler.Account(e, used, time);
                e.Sched.RunThisStep += used;
                if (siblingBusy) e.Sched.SiblingBusyCycles += used;
                t.BusyCycles += used;
                budget -= used; time += used;
                if (e.State != RunState.Runnable) Deschedule(t, time);
                else if (used == 0) break;
            }
        }

        // Account: every entity's step is run + ready + co-stop + wait.
        foreach (var e in _entities)
        {
            var s = e.Sched;
            ulong ran = Math.Min(s.RunThisStep, dt), rest = dt - ran;
            s.RunCycles += ran;
            if (e.State != RunState.Runnable) s.WaitCycles += rest;
            else if (s.CoStopped) s.CoStopCycles += rest;
            else s.ReadyCycles += rest;
            s.RunThisStep = 0;
        }
        _stepStart = now + dt;
        Now = _stepStart;
        foreach (var vm in _vms)
        {
            vm.CheckWatchdog();
            if (vm.CompletePendingReset())
                foreach (var v in vm.Vcpus) _scheduler.OnWake(v, Now);
        }
    }

    // The candidate lists are refilled, not allocated, at every question: a step asks several, and
    // the garbage they made was a measurable part of the hypervisor benchmark. A scheduler reads
    // them only during the call (IVcpuScheduler says so).
    private readonly CandidateList _waiting = new(), _dispatchable = new();

    private sealed class CandidateList
    {
        public readonly List<ISchedulable> Items = new();
        public readonly System.Collections.ObjectModel.ReadOnlyCollection<ISchedulable> View;
        public CandidateList() => View = Items.AsReadOnly();
    }

    /// <summary>Fills <paramref name="into"/> with the entities a thread could take now: runnable, on no thread, not co-stopped, not blocked for memory.</summary>
    private System.Collections.ObjectModel.ReadOnlyCollection<ISchedulable> Candidates(CandidateList into)
    {
        var list = into.Items;
        list.Clear();
        foreach (var e in _entities)
            if (e.State == RunState.Runnable && e.Sched.Thread < 0 && !e.Sched.CoStopped && !IsMemoryBlocked(e)) list.Add(e);
        return into.View;
    }

    private ISchedulable? Dispatch(HardwareThread t, ulong now)
    {
        var view = Candidates(_dispatchable);
        var candidates = _dispatchable.Items;
        if (t.SiblingIndex >= 0 && _threads[t.SiblingIndex].Current is { } partner)
            for (int i = candidates.Count - 1; i >= 0; i--)
                if (!MayRunBeside(candidates[i], partner, now)) candidates.RemoveAt(i);
        var e = _scheduler.PickNext(t, view, now);
        if (e is null) return null;
        if (!candidates.Contains(e))
            throw Violation(_scheduler.Name, nameof(IVcpuScheduler.PickNext), now, $"returned {WhyNotCandidate(e, t)}");
        t.Current = e;
        e.Sched.Thread = t.Index;
        e.Sched.Dispatches++;
        return e;
    }

    private void Deschedule(HardwareThread t, ulong now)
    {
        if (t.Current is not { } e) return;
        t.Current = null;
        e.Sched.Thread = -1;
        _scheduler.OnDeschedule(e, now);
    }

    /// <summary>The instructions per cycle of <paramref name="e"/> on <paramref name="t"/>, and whether the other thread of the core runs something else meanwhile.</summary>
    private double IpcFor(HardwareThread t, ISchedulable e, out bool siblingBusy)
    {
        ExecutionProfile? sibling = null;
        if (t.SiblingIndex >= 0)
        {
            var s = _threads[t.SiblingIndex];
            if (s.Usable && s.Current is { } other && !ReferenceEquals(other, e)) sibling = other.Profile;
        }
        siblingBusy = sibling is not null;
        return CachedIpc(e.Profile, sibling);
    }

    // Replays are deterministic in the two profiles, so each pair of profile versions is replayed once.
    private readonly Dictionary<(ExecutionProfile, long, ExecutionProfile?, long), double> _ipcCache = new();

    private double CachedIpc(ExecutionProfile self, ExecutionProfile? sibling)
    {
        var key = (self, self.Version, sibling, sibling?.Version ?? 0);
        if (_ipcCache.TryGetValue(key, out double ipc)) return ipc;
        if (_ipcCache.Count > 4096) _ipcCache.Clear();   // old versions are never asked for again
        var (mine, theirs) = Config.Core.Replay(self, sibling);
        _ipcCache[key] = mine;
        if (sibling is not null) _ipcCache[(sibling, sibling.Version, self, self.Version)] = theirs;
        return mine;
    }

    /// <summary>Co-stop threshold: a vCPU this far ahead of its slowest runnable sibling is held back.</summary>
    public double CoStopSkewMilliseconds { get; init; } = 3;

    /// <summary>
    /// Relaxed co-scheduling (ESX 3+): a vCPU's progress is the time it ran or was legitimately idle;
    /// one that is more than <see cref="CoStopSkewMilliseconds"/> ahead of the slowest sibling that
    /// wants to run is co-stopped until the gap is under half of that. Halted (waiting) siblings add no skew.
    /// </summary>
    private void UpdateCoStop()
    {
        ulong threshold = (ulong)(CoStopSkewMilliseconds * Config.CyclesPerMillisecond);
        foreach (var vm in _vms)
        {
            if (vm.Vcpus.Count < 2 || vm.IsStopped) continue;
            ulong min = ulong.MaxValue;
            foreach (var v in vm.Vcpus)
                if (v.State == RunState.Runnable && !v.Sched.CoStopped) min = Math.Min(min, v.Sched.RunCycles + v.Sched.WaitCycles);
            foreach (var v in vm.Vcpus)
            {
                if (v.State != RunState.Runnable) { v.Sched.CoStopped = false; continue; }
                if (min == ulong.MaxValue) { v.Sched.CoStopped = false; continue; }
                ulong progress = v.Sched.RunCycles + v.Sched.WaitCycles;
                ulong skew = progress > min ? progress - min : 0;
                if (skew > threshold) v.Sched.CoStopped = true;
                else if (skew < threshold / 2) v.Sched.CoStopped = false;
            }
        }
    }
}
