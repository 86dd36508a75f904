using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Machine;
using VirtLab.Memory;

namespace VirtLab.Tests.Memory;

/// <summary>The active-memory estimate, the idle memory tax, min guarantees and low-state blocking.</summary>
public class IdleMemoryTaxTests
{
    // Room for both VMs, so nothing is reclaimed; the sampler is told to run anyway.
    private static HostConfig RoomyHost() => BalloonDriverTests.MemHost() with
    {
        Cores = 2, RamPages = 4096, ActiveMemorySampling = new ActiveMemorySampling(OnlyWhenOvercommitted: false),
    };

    [Fact]
    public void A_host_whose_vms_fit_in_ram_does_not_sample()
    {
        var host = new Host(RoomyHost() with { ActiveMemorySampling = new ActiveMemorySampling() });
        var vm = host.CreateVm(new VmConfig { Name = "busy", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.Memory(200) });
        host.RunFor(60);
        Assert.Equal(0, vm.ActiveMemory.Periods);
        Assert.Equal(0, vm.Memory.TouchFaults);
        Assert.Equal(1.0, vm.ActiveMemory.ActiveFraction);   // unknown: counts as all active
    }

    [Fact]
    public void The_active_memory_estimate_follows_the_guests_real_working_set()
    {
        var host = new Host(RoomyHost());
        var busy = host.CreateVm(new VmConfig { Name = "busy", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.Memory(200) });
        var idle = host.CreateVm(new VmConfig { Name = "idle", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.Io() });
        host.RunFor(300);
        // The busy guest keeps walking its 200 pages, plus the kernel's own few: every page it holds is in use.
        int truth = busy.Memory.MappedPages;
        Assert.InRange(truth, 200, 215);
        Assert.InRange(busy.ActiveMemory.ActivePages, 0.8 * truth, 1.2 * truth);
        // The idle guest only wakes for its timer tick: a handful of kernel pages.
        Assert.True(idle.ActiveMemory.ActivePages < 30, $"idle estimate {idle.ActiveMemory.ActivePages}");
        Assert.True(busy.ActiveMemory.ActivePages > 5 * Math.Max(1, idle.ActiveMemory.ActivePages));
        // The estimate came from touches the hypervisor saw, charged as page-fault exits.
        Assert.Equal(14, busy.ActiveMemory.Periods);                // ends at 20, 40, ... 280 ms
        Assert.True(busy.Memory.TouchFaults > 3 * idle.Memory.TouchFaults, $"{busy.Memory.TouchFaults} vs {idle.Memory.TouchFaults}");
        Assert.Equal(busy.Memory.TouchFaults, busy.Exits[VmExitReason.TouchFault]);
        Assert.True(busy.Exits.InFamily(VmExitReason.GuestPageFault) > busy.Memory.Faults);

        // Same seed, same samples, same estimate.
        var again = new Host(RoomyHost());
        var busy2 = again.CreateVm(new VmConfig { Name = "busy", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.Memory(200) });
        again.CreateVm(new VmConfig { Name = "idle", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.Io() });
        again.RunFor(300);
        Assert.Equal(busy.ActiveMemory.SlowAverage, busy2.ActiveMemory.SlowAverage);
    }

    [Fact]
    public void A_hidden_page_keeps_its_frame_and_contents_and_the_next_touch_is_noticed()
    {
        var frames = new FrameAllocator(new PhysicalMemory(64));
        var memory = new GuestMemory(frames, owner: 1, pages: 16);
        uint address = GuestPhysicalAddress.RamBase + 3 * 4096 + 8;
        Assert.True(memory.Space.TryWrite(address, 4, 0xCAFE));
        int frame = memory.FrameOf(3);
        memory.WatchForTouch(3);
        memory.WatchForTouch(4);                                  // never touched: stays untouched
        Assert.True(memory.Space.IsHidden(3));
        Assert.Equal(frame, memory.FrameOf(3));
        Assert.Equal(0xCAFEu, memory.PeekWord(address));          // the host's peek is not a touch
        Assert.Equal(0, memory.WatchedPagesTouched);
        Assert.True(memory.Space.TryRead(address, 4, out uint value));   // the guest's is
        Assert.Equal(0xCAFEu, value);
        Assert.False(memory.Space.IsHidden(3));
        Assert.Equal(1, memory.TouchFaults);
        Assert.True(memory.StopWatching(3));
        Assert.False(memory.StopWatching(4));
        Assert.Equal(1, memory.MappedPages);
    }

    [Fact]
    public void Rho_charges_an_idle_page_k_times_an_active_one_and_revocation_takes_from_the_lowest_rho()
    {
        Assert.Equal(1000.0 / 100, SharesReclamationPolicy.SharesPerPage(1000, 100, activeFraction: 0, tau: 0), 9);
        Assert.Equal(1000.0 / 400, SharesReclamationPolicy.SharesPerPage(1000, 100, activeFraction: 0, tau: 0.75), 9);   // k = 4
        Assert.Equal(1000.0 / 100, SharesReclamationPolicy.SharesPerPage(1000, 100, activeFraction: 1, tau: 0.75), 9);  // all active: no tax
        Assert.Equal(1000.0 / 250, SharesReclamationPolicy.SharesPerPage(1000, 100, activeFraction: 0.5, tau: 0.75), 9);

        var frames = new FrameAllocator(new PhysicalMemory(512));
        var idle = new FakeVm("idle", frames, 1, held: 100, active: 0, tau: 0.75);
        var busy = new FakeVm("busy", frames, 2, held: 100, active: 100, tau: 0.75);
        var take = SharesReclamationPolicy.Revoke([idle, busy], 60, [0, 0]);
        Assert.Equal([60, 0], take);                              // idle rho 2.5 until it holds 25 pages
        take = SharesReclamationPolicy.Revoke([idle, busy], 90, [0, 0]);
        Assert.InRange(take[0], 74, 80);                          // then both give, keeping rho about equal: 4 * idle ~ busy
        Assert.Equal(90 - take[0], take[1]);
        Assert.InRange(take[1], 10, 16);
        var untaxed = SharesReclamationPolicy.Revoke([idle with { Tau = 0 }, busy with { Tau = 0 }], 60, [0, 0]);
        Assert.Equal([30, 30], untaxed);                          // tau = 0: shares per page alone, equal split
        Assert.Equal([50, 0], SharesReclamationPolicy.Revoke([idle, busy], 90, [50, 100]));   // never below the floors
    }

    private sealed record FakeVm(string Name, GuestMemory Memory, int ActivePages, double Tau) : IReclaimableVm
    {
        public FakeVm(string name, FrameAllocator frames, int owner, int held, int active, double tau)
            : this(name, Touched(frames, owner, held), active, tau) { }

        private static GuestMemory Touched(FrameAllocator frames, int owner, int held)
        {
            var memory = new GuestMemory(frames, owner, 200);
            for (int page = 0; page < held; page++) memory.Space.TryWrite(GuestPhysicalAddress.RamBase + (uint)page * 4096, 4, 1);
            return memory;
        }

        public int MaxPages => 200;
        public ulong Instructions => 0;
        public int MinPages => 0;
        public int Shares => 1000;
        public int MappedPages => Memory.MappedPages;
        public int SharedPages => Memory.SharedPages;
        public int BalloonedPages => Memory.BalloonedPages;
        public int SwappedPages => Memory.SwappedPages;
        public PageState StateOf(int page) => Memory.StateOf(page);
        public bool CanSwap => false;
        public bool HasBalloonDriver => true;
        public double IdleMemoryTax => Tau;
        public int TargetPages { get; set; } = 200;
        public int BalloonTarget { get; set; }
        public int SwapOut(int pages) => 0;
    }

    [Fact]
    public void With_tau_0_idle_and_active_end_equal_and_with_tau_075_memory_flows_to_the_active_vm()
    {
        var result = IdleTax.Run();
        IdleTaxRow Row(double tau, string vm) => result.Rows.Single(r => r.Tau == tau && r.Vm == vm);
        var h = result.Headline;

        // tau = 0: shares alone; equal shares end with about equal memory.
        Assert.InRange(h.MappedEnd(0, IdleTax.Idle) - h.MappedEnd(0, IdleTax.Active), -30, 30);
        // tau = 0.75: the idle VM's memory went to the active one, which now holds its whole working set.
        Assert.True(h.MappedEnd(0.75, IdleTax.Active) >= 400, $"active holds {h.MappedEnd(0.75, IdleTax.Active)}");
        Assert.True(h.MappedEnd(0.75, IdleTax.Idle) < h.MappedEnd(0, IdleTax.Idle) - 80, $"idle {h.MappedEnd(0.75, IdleTax.Idle)} vs {h.MappedEnd(0, IdleTax.Idle)} untaxed");
        Assert.True(h.ActiveOpsPerMillisecond(0.75) > 10 * h.ActiveOpsPerMillisecond(0), $"active VM {h.ActiveOpsPerMillisecond(0.75):F2} ops/ms taxed vs {h.ActiveOpsPerMillisecond(0):F2} untaxed");
        // Both runs saw the same thing: an idle VM estimated idle, the active one's estimate near its working set.
        Assert.All(result.Rows.Where(r => r.Vm == IdleTax.Idle), r => Assert.True(r.ActiveEstimatePages < 30));
        Assert.InRange(Row(0.75, IdleTax.Active).ActiveEstimatePages, 320, 500);
    }

    [Fact]
    public void No_vm_drops_below_its_min_outside_the_low_state_even_when_the_host_reclaims_hard()
    {
        var host = new Host(BalloonDriverTests.MemHost() with
        {
            Cores = 3, RamPages = 700 + 100, HypervisorMemoryPages = 100, ReclamationPolicy = new SharesReclamationPolicy(),
            ReclamationThresholds = new ReclamationThresholds(0.20, 0.15, 0.10, 0.0),   // low 0: the host never enters it
        });
        var guarded = host.CreateVm(new VmConfig { Name = "guarded", MemoryPages = 300, MinPages = 220, TickMilliseconds = 1, Workload = Workload.Memory(250) });
        host.CreateVm(new VmConfig { Name = "b", MemoryPages = 300, TickMilliseconds = 1, Workload = Workload.Memory(250) });
        host.CreateVm(new VmConfig { Name = "c", MemoryPages = 300, TickMilliseconds = 1, Workload = Workload.Memory(250) });
        var reached = new bool[3];
        int lowest = int.MaxValue;
        for (int i = 0; i < 200; i++)
        {
            host.RunFor(0.5);
            Assert.NotEqual(ReclamationState.Low, host.ReclamationState);
            foreach (var vm in host.Vms)
            {
                if (vm.Memory.MappedPages >= vm.Config.MinPages) reached[vm.Id] = true;
                else Assert.False(reached[vm.Id], $"{vm.Name} fell to {vm.Memory.MappedPages} pages, below its min {vm.Config.MinPages}, at {host.NowMilliseconds} ms in state {host.ReclamationState}");
            }
            if (reached[guarded.Id]) lowest = Math.Min(lowest, guarded.Memory.MappedPages);
        }
        Assert.True(host.PeriodsInState[(int)ReclamationState.Hard] > 0, "the host reclaimed hard");
        Assert.True(host.Vms.Sum(v => v.Memory.SwapOuts) > 0);
        Assert.True(lowest <= guarded.Config.MinPages + 15, $"the min was what held it (lowest {lowest})");
        Assert.All(host.Vms, vm => Assert.False(vm.IsStopped, vm.StopReason));
    }

    [Fact]
    public void The_low_state_blocks_only_vms_over_their_target_and_releases_them_when_it_ends()
    {
        var host = new Host(BalloonDriverTests.MemHost() with
        {
            Cores = 3, RamPages = 600 + 100, HypervisorMemoryPages = 100,
            // A host that reclaims only every 5 ms, 16 pages at a time: a burst of faults outruns it.
            ReclamationPolicy = new SharesReclamationPolicy { MaxSwapOutsPerPeriod = 16 }, ReclamationPeriodMilliseconds = 5,
            ReclamationThresholds = new ReclamationThresholds(0.20, 0.15, 0.10, 0.05),
        });
        // An idle VM holding memory it touched at boot (no balloon driver: only swapping can take it
        // back), a VM with many shares, and a hog that arrives later and faults its pages in fast.
        var idle = host.CreateVm(new VmConfig { Name = "idle", MemoryPages = 256, TickMilliseconds = 1, BalloonDriver = false, Workload = Workload.Phases(200, ticks: 2, idleTicks: 1_000_000) });
        var vip = host.CreateVm(new VmConfig { Name = "vip", MemoryPages = 200, MinPages = 120, Shares = 100_000, TickMilliseconds = 1, Workload = Workload.Memory(100) });
        var hog = host.CreateVm(new VmConfig { Name = "hog", MemoryPages = 400, TickMilliseconds = 1, Workload = Workload.Phases(350, ticks: 1_000_000, startDelayTicks: 30, idleTicks: 0) });
        bool sawLow = false, sawRelease = false;
        var wasBlocked = new bool[3];
        var instructions = new ulong[3];
        var atRelease = new ulong?[3];
        for (int i = 0; i < 300; i++)
        {
            host.RunFor(0.5);
            sawLow |= host.ReclamationState == ReclamationState.Low;
            foreach (var vm in host.Vms)
            {
                if (vm.IsMemoryBlocked)
                {
                    Assert.Equal(ReclamationState.Low, host.ReclamationState);
                    if (wasBlocked[vm.Id]) Assert.Equal(instructions[vm.Id], vm.Instructions);   // a blocked VM does not run
                }
                else if (wasBlocked[vm.Id]) { sawRelease = true; atRelease[vm.Id] = vm.Instructions; }
                wasBlocked[vm.Id] = vm.IsMemoryBlocked;
                instructions[vm.Id] = vm.Instructions;
            }
        }
        Assert.True(sawLow, $"the host never went low: periods {string.Join(",", host.PeriodsInState)}");
        Assert.Equal(0, vip.MemoryBlocks);                     // its shares keep it within its target
        Assert.True(hog.MemoryBlocks + idle.MemoryBlocks > 0, "a VM over its target was blocked");
        Assert.True(hog.MemoryBlockedCycles + idle.MemoryBlockedCycles > 0);
        Assert.True(sawRelease, "and released when the host left the low state");
        Assert.NotEqual(ReclamationState.Low, host.ReclamationState);
        Assert.All(host.Vms, vm => Assert.False(vm.IsMemoryBlocked));
        Assert.All(host.Vms, vm => Assert.False(vm.IsStopped, vm.StopReason));
        host.RunFor(5);   // a release seen at the last look has had no time to run yet
        Assert.All(host.Vms, vm => Assert.True(atRelease[vm.Id] is not { } at || vm.Instructions > at, $"{vm.Name} ran again once released"));
    }

    [Fact]
    public void A_tax_rate_outside_0_to_1_is_refused_naming_the_field()
    {
        var e = Assert.Throws<ConfigurationException>(() => new Host(new HostConfig { IdleMemoryTax = 1 }));
        Assert.Equal("idle-memory-tax", e.Field);
        e = Assert.Throws<ConfigurationException>(() => new Host(new HostConfig { IdleMemoryTax = -0.1 }));
        Assert.Equal("idle-memory-tax", e.Field);
        e = Assert.Throws<ConfigurationException>(() => new Host(new HostConfig { ActiveMemorySampling = new ActiveMemorySampling(SamplePages: 0) }));
        Assert.Equal("active-memory.sample-pages", e.Field);
        e = Assert.Throws<ConfigurationException>(() => IdleTax.Run(new() { Taus = [0, 1] }));
        Assert.Equal("taus", e.Field);
    }
}
