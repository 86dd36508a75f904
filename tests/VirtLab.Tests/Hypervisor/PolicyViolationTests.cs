using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using VirtLab.Scheduling;
using VirtLab.Tests.Memory;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

/// <summary>
/// Policies that throw or return nonsense stop their host with a PolicyViolationException that
/// names the policy, what it did, the member and the time; the host is left consistent (no frame
/// lost or counted twice, no entity on two threads) and refuses to run on.
/// </summary>
public class PolicyViolationTests
{
    // ------------------------------------------------------------------ helpers

    /// <summary>Runs <paramref name="host"/> until a policy stops it; checks the failure is kept and the host consistent.</summary>
    private static PolicyViolationException RunUntilStopped(Host host, double milliseconds = 200)
    {
        var e = Assert.Throws<PolicyViolationException>(() => host.RunFor(milliseconds));
        Assert.Same(e, host.PolicyFailure);
        Assert.Same(e, Assert.Throws<PolicyViolationException>(host.Step));   // stopped for good
        Assert.Matches(@"^policy '[^']+' .+ in \w+( [\w ]+)? at t=[0-9.]+ ms$", e.Message);
        CheckConsistent(host);
        return e;
    }

    private static void CheckConsistent(Host host)
    {
        FrameAudit.Check(host);
        var onThreads = host.Threads.Where(t => t.Current is not null).Select(t => t.Current!).ToList();
        Assert.Equal(onThreads.Count, onThreads.Distinct().Count());                    // no entity on two threads
        foreach (var t in host.Threads) if (t.Current is { } e) Assert.Equal(t.Index, e.Sched.Thread);
        foreach (var e in host.Entities) if (e.Sched.Thread >= 0) Assert.Same(e, host.Threads[e.Sched.Thread].Current);
    }

    /// <summary>The credit scheduler, except that from <paramref name="fromMs"/> on it misbehaves as <paramref name="mode"/> says.</summary>
    private sealed class BadScheduler(string mode, double fromMs = 20) : IVcpuScheduler
    {
        private readonly CreditScheduler _credit = new();
        private IReadOnlyList<ISchedulable> _entities = [];
        private ulong _from;
        public Host? Other { get; init; }
        public string Name => $"bad-{mode}";

        private void MaybeThrow(string member, ulong now)
        {
            if (mode == member && now >= _from) throw new InvalidOperationException($"{member} went wrong");
        }

        public void Initialize(int hardwareThreads, ulong cyclesPerMillisecond, IReadOnlyList<ISchedulable> entities)
        {
            _entities = entities;
            _from = (ulong)(fromMs * cyclesPerMillisecond);
            MaybeThrow(nameof(Initialize), ulong.MaxValue);
            _credit.Initialize(hardwareThreads, cyclesPerMillisecond, entities);
        }

        public void Tick(ulong now) { MaybeThrow(nameof(Tick), now); _credit.Tick(now); }
        public void OnWake(ISchedulable entity, ulong now) { MaybeThrow(nameof(OnWake), now); _credit.OnWake(entity, now); }
        public void OnDeschedule(ISchedulable entity, ulong now) { MaybeThrow(nameof(OnDeschedule), now); _credit.OnDeschedule(entity, now); }
        public void Account(ISchedulable entity, ulong cycles, ulong now) { MaybeThrow(nameof(Account), now); _credit.Account(entity, cycles, now); }

        public bool ShouldPreempt(HardwareThread thread, ISchedulable current, IReadOnlyList<ISchedulable> waiting, ulong now)
        {
            MaybeThrow(nameof(ShouldPreempt), now);
            return _credit.ShouldPreempt(thread, current, waiting, now);
        }

        public ISchedulable? PickNext(HardwareThread thread, IReadOnlyList<ISchedulable> candidates, ulong now)
        {
            MaybeThrow(nameof(PickNext), now);
            if (now >= _from)
            {
                var wrong = mode switch
                {
                    "waiting" => _entities.FirstOrDefault(e => e.State == RunState.Waiting),
                    "running" => _entities.FirstOrDefault(e => e.Sched.Thread >= 0),
                    "foreign" => Other!.Entities[0],
                    _ => null,
                };
                if (wrong is not null) return wrong;
            }
            return _credit.PickNext(thread, candidates, now);
        }
    }

    // ------------------------------------------------------------------ schedulers

    [Theory]
    [InlineData("Initialize")]
    [InlineData("Tick")]
    [InlineData("OnWake")]
    [InlineData("OnDeschedule")]
    [InlineData("Account")]
    [InlineData("PickNext")]
    [InlineData("ShouldPreempt")]
    public void A_scheduler_that_throws_stops_the_host_naming_the_member(string member)
    {
        var host = new Host(SmallHost(cores: 2) with { Scheduler = new BadScheduler(member) });
        for (int i = 0; i < 3; i++) host.CreateVm(new VmConfig { Name = $"cpu{i}", Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "io", Workload = Workload.Io(sleepTicks: 1), TickMilliseconds = 2 });
        var e = RunUntilStopped(host);
        Assert.StartsWith($"policy 'bad-{member}' threw InvalidOperationException ({member} went wrong) in {member} at t=", e.Message);
        Assert.Equal(member, e.Member);
        Assert.IsType<InvalidOperationException>(e.InnerException);
        if (member != "Initialize") Assert.InRange(e.AtMilliseconds, 20, 25);
    }

    [Theory]
    [InlineData("waiting", "which is not runnable (it is Waiting)")]
    [InlineData("running", "which is already running on hardware thread")]
    [InlineData("foreign", "which is not an entity of this host")]
    public void A_scheduler_that_picks_what_it_was_not_offered_stops_the_host_before_dispatching_it(string mode, string why)
    {
        var other = new Host(SmallHost());
        other.CreateVm(new VmConfig { Name = "elsewhere" });
        var host = new Host(SmallHost(cores: 2) with { Scheduler = new BadScheduler(mode) { Other = other } });
        for (int i = 0; i < 3; i++) host.CreateVm(new VmConfig { Name = $"cpu{i}", Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "io", Workload = Workload.Io(sleepTicks: 1), TickMilliseconds = 2 });
        var e = RunUntilStopped(host);
        Assert.Contains(why, e.Message);
        Assert.Equal("PickNext", e.Member);
        Assert.Contains("policy 'bad-" + mode + "' returned '", e.Message);
        Assert.DoesNotContain(host.Threads, t => t.Current is { } c && c.Sched.Thread != t.Index);
        Assert.All(other.Entities, x => Assert.Equal(-1, x.Sched.Thread));              // the other host's vCPU was never dispatched here
    }

    [Fact]
    public void One_scheduler_object_schedules_one_host()
    {
        var scheduler = new CreditScheduler();
        _ = new Host(SmallHost() with { Scheduler = scheduler });
        var e = Assert.Throws<ConfigurationException>(() => new Host(SmallHost() with { Scheduler = scheduler }));
        Assert.Equal("scheduler", e.Field);
        Assert.Contains("already schedules another host", e.Message);
    }

    // ------------------------------------------------------------------ SMT placements

    private sealed class BadPlacement(string mode) : ISmtPlacement
    {
        public string Name => $"bad-{mode}";
        public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) =>
            mode == "fill-twice" ? [0, 0, 1, 2] : mode == "fill-short" ? [0] : SmtPlacement.SmtAware.FillOrder(threads);
        public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) =>
            mode == "beside-throws" ? throw new ArgumentException("no idea") : true;
        public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) =>
            mode == "move-to-busy" && busy.Index == 1 ? threads[0] : null;
    }

    [Theory]
    [InlineData("fill-twice", "returned thread 0 twice")]
    [InlineData("fill-short", "returned 1 thread indexes for 4 hardware threads")]
    public void A_placement_with_an_impossible_fill_order_is_refused_when_the_host_is_built(string mode, string why)
    {
        var e = Assert.Throws<PolicyViolationException>(() => new Host(SmallHost(cores: 2, threadsPerCore: 2) with { Placement = new BadPlacement(mode) }));
        Assert.Equal($"policy 'bad-{mode}' {why} (it must list every thread once) in FillOrder at t=0 ms", e.Message);
    }

    [Theory]
    [InlineData("move-to-busy", "MoveTo", "returned thread 0, which is running '")]
    [InlineData("beside-throws", "MayRunBeside", "threw ArgumentException (no idea)")]
    public void A_placement_that_moves_onto_a_busy_thread_or_throws_stops_the_host(string mode, string member, string what)
    {
        // Three busy vCPUs on four threads: one core's second thread is filled while the other core has an idle thread.
        var host = new Host(SmallHost(cores: 2, threadsPerCore: 2) with { Placement = new BadPlacement(mode) });
        for (int i = 0; i < 3; i++) host.CreateVm(new VmConfig { Name = $"cpu{i}", Workload = Workload.Cpu() });
        var e = RunUntilStopped(host);
        Assert.Equal(member, e.Member);
        Assert.Contains($"policy 'bad-{mode}' {what}", e.Message);
    }

    // ------------------------------------------------------------------ reclamation policies

    /// <summary>The default policy at first, then one misbehaviour (<paramref name="mode"/>).</summary>
    private sealed class BadReclamation(string mode) : IReclamationPolicy
    {
        private readonly SharesReclamationPolicy _shares = new();
        private IReclaimableVm? _kept;
        private int _shortPeriods;
        public string Name => $"bad-{mode}";

        public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
        {
            _kept = vms[0];
            // Well behaved for the first 20 periods in which the host is short of memory: it has reclaimed something by then.
            if (state != ReclamationState.High) _shortPeriods++;
            if (_shortPeriods <= 20 || mode.StartsWith("victim")) { _shares.Reclaim(state, pagesWanted, surplusPages, vms, random); return; }
            var vm = vms[^1];
            switch (mode)
            {
                case "balloon-above-max": vm.BalloonTarget = vm.MaxPages + 1; break;
                case "balloon-negative": vm.BalloonTarget = -1; break;
                case "target-negative": vm.TargetPages = -5; break;
                case "target-above-max": vm.TargetPages = vm.MaxPages + 100; break;
                case "swap-negative": vm.SwapOut(-3); break;
                case "swap-more-than-held": vm.SwapOut(vm.MappedPages + 10); break;
                case "swap-below-min": vm.SwapOut(vm.MappedPages - vm.MinPages + 1); break;
                case "throws": throw new InvalidOperationException("out of ideas");
                case "swallows":
                    try { vm.BalloonTarget = -1; } catch (PolicyViolationException) { }   // and carries on as if nothing happened
                    _shares.Reclaim(state, pagesWanted, surplusPages, vms, random);
                    break;
            }
        }

        public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random) => mode switch
        {
            "victim-unknown" => new StrangerVm(),
            "victim-null" => null!,
            "victim-changes-balloon" => SetTarget(candidates[0]),
            "victim-throws" => throw new KeyNotFoundException("which one?"),
            _ => _shares.ChooseVictim(candidates, random),
        };

        private IReclaimableVm SetTarget(IReclaimableVm vm) { (_kept ?? vm).BalloonTarget = 1; return vm; }
    }

    /// <summary>A VM that belongs to no host.</summary>
    private sealed class StrangerVm : IReclaimableVm
    {
        public string Name => "stranger";
        public int MaxPages => 256;
        public int MinPages => 0;
        public int Shares => 1000;
        public int MappedPages => 100;
        public int SharedPages => 0;
        public int BalloonedPages => 0;
        public int SwappedPages => 0;
        public PageState StateOf(int page) => PageState.Mapped;
        public bool CanSwap => true;
        public ulong Instructions => 0;
        public bool HasBalloonDriver => false;
        public int ActivePages => 100;
        public double IdleMemoryTax => 0;
        public int TargetPages { get; set; }
        public int BalloonTarget { get; set; }
        public int SwapOut(int pages) => pages;
    }

    /// <summary>Two VMs that each touch 300 pages and never free them, on 500 frames: the host must reclaim, and runs out of frames.</summary>
    private static Host ShortHost(BadReclamation policy, double reclamationPeriodMs = 1)
    {
        var host = new Host(BalloonDriverTests.MemHost() with
        {
            RamPages = 600, HypervisorMemoryPages = 100, ReclamationPolicy = policy, ReclamationPeriodMilliseconds = reclamationPeriodMs,
        });
        host.CreateVm(new VmConfig { Name = "a", MemoryPages = 400, TickMilliseconds = 1, Workload = Workload.Memory(300, 4096) });
        host.CreateVm(new VmConfig { Name = "b", MemoryPages = 400, MinPages = 100, TickMilliseconds = 1, Workload = Workload.Memory(300, 4096) });
        return host;
    }

    [Theory]
    [InlineData("balloon-above-max", "set the balloon target of 'b' to 401 pages, outside 0..400 (its max)")]
    [InlineData("balloon-negative", "set the balloon target of 'b' to -1 pages, outside 0..400 (its max)")]
    [InlineData("target-negative", "set the allocation target of 'b' to -5 pages, outside 0..400 (its max)")]
    [InlineData("target-above-max", "set the allocation target of 'b' to 500 pages, outside 0..400 (its max)")]
    [InlineData("swap-negative", "asked to swap out -3 pages of 'b' (a page count cannot be negative)")]
    [InlineData("swap-more-than-held", "pages of 'b', which holds")]
    [InlineData("swap-below-min", "keeps its min of 100 outside the low state")]
    [InlineData("throws", "threw InvalidOperationException (out of ideas)")]
    [InlineData("swallows", "set the balloon target of 'b' to -1 pages")]
    public void A_reclamation_policy_that_asks_the_impossible_or_throws_stops_the_host_with_every_frame_accounted_for(string mode, string what)
    {
        var host = ShortHost(new BadReclamation(mode));
        var e = RunUntilStopped(host);
        Assert.Equal("Reclaim", e.Member);
        Assert.StartsWith($"policy 'bad-{mode}' ", e.Message);
        Assert.Contains(what, e.Message);
        Assert.True(host.Vms.Sum(v => v.Memory.SwapOuts + v.Memory.InflatedTotal) > 0, "the host had reclaimed memory before the policy went wrong");
    }

    [Theory]
    [InlineData("victim-unknown", "returned 'stranger', a VM this host does not run, which is not among its candidates ('")]
    [InlineData("victim-null", "returned null, which is not among its candidates ('")]
    [InlineData("victim-changes-balloon", "set the balloon target of 'a' outside Reclaim")]
    [InlineData("victim-throws", "threw KeyNotFoundException (which one?)")]
    public void A_policy_that_chooses_a_victim_it_was_not_offered_or_acts_while_a_guest_faults_stops_the_host(string mode, string what)
    {
        // Reclaim runs once, at boot: the host runs out of frames, and a guest fault asks ChooseVictim.
        var host = ShortHost(new BadReclamation(mode), reclamationPeriodMs: 1000);
        var e = RunUntilStopped(host);
        Assert.Equal("ChooseVictim", e.Member);
        Assert.StartsWith($"policy 'bad-{mode}' {what}", e.Message);
    }

    // ------------------------------------------------------------------ page-sharing scans

    private sealed class BadScan(string mode) : ISharingScan
    {
        public string Name => $"bad-{mode}";
        public (int Vm, int Page) NextPage(IReadOnlyList<IReclaimableVm> vms, Random random) =>
            mode == "vm" ? (vms.Count, 0) : (0, vms[0].MaxPages);
    }

    [Theory]
    [InlineData("vm", "returned VM index 2, but the running VMs are 0..1")]
    [InlineData("page", "returned page 256 of 'a', which has pages 0..255")]
    public void A_sharing_scan_that_names_a_page_that_does_not_exist_stops_the_host(string mode, string what)
    {
        var host = new Host(SmallHost() with { SharingScanPages = 8, SharingScan = new BadScan(mode) });
        host.CreateVm(new VmConfig { Name = "a", Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "b", Workload = Workload.Cpu() });
        var e = RunUntilStopped(host);
        Assert.Equal($"policy 'bad-{mode}' {what} in NextPage at t=0 ms", e.Message);
    }

    // ------------------------------------------------------------------ a VM that does not fit

    [Fact]
    public void A_vm_whose_image_does_not_fit_gives_back_the_frames_it_had_taken()
    {
        var host = new Host(SmallHost() with { RamPages = 256 + 3, SwapPages = 0 });
        Assert.Throws<ConfigurationException>(() => host.CreateVm(new VmConfig { Name = "big" }));
        Assert.Equal(3, host.Frames.FreeFrames);
        FrameAudit.Check(host);
        Assert.Empty(host.Vms);
    }
}
