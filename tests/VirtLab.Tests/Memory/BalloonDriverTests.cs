using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Memory;

/// <summary>The guest kernel's balloon driver against the hypervisor's balloon device.</summary>
public class BalloonDriverTests
{
    private static int FramesOwnedBy(Host host, int vm)
    {
        int n = 0;
        for (int f = 0; f < host.Frames.TotalFrames; f++) if (host.Frames.OwnerOf(f) == vm) n++;
        return n;
    }

    /// <summary>A host at the default time scale (100,000 cycles per ms), so a 1 ms guest tick leaves the guest most of its time.
    /// The host runs no reclamation policy, so the tests alone set balloon targets.</summary>
    internal static HostConfig MemHost() => SmallHost() with { CyclesPerMillisecond = 100_000, CyclesPerTimerTick = 100, ReclamationPolicy = null };

    private static VmConfig PhasesVm(string name, uint pages = 150, bool driver = true) => new()
    {
        Name = name, MemoryPages = 256, TickMilliseconds = 1, BalloonDriver = driver, Workload = Workload.Phases(pages, ticks: 4),
    };

    [Fact]
    public void The_driver_inflates_to_the_target_from_its_free_list_and_the_host_frees_the_frames()
    {
        var host = new Host(MemHost());
        var vm = host.CreateVm(PhasesVm("g", pages: 100));
        host.RunFor(9);                                   // boot, allocate and walk 100 pages, free them: now idle
        int before = vm.Memory.MappedPages;
        Assert.True(before > 100, $"mapped {before}");
        Assert.True(vm.Progress > 0);
        vm.Balloon.Target = 120;
        host.RunFor(1.5);
        Assert.Equal(120, vm.Memory.BalloonedPages);
        Assert.Equal(120u, vm.Balloon.ReportedActual);
        Assert.Equal(0, vm.Memory.RejectedTotal);
        Assert.True(vm.Balloon.TargetReads > 0);
        Assert.True(vm.Memory.MappedPages <= before - 90, $"mapped {vm.Memory.MappedPages}, was {before}: the touched free pages went back to the host");
        Assert.Equal(vm.Memory.MappedPages, FramesOwnedBy(host, vm.Id));
        Assert.False(vm.IsStopped, vm.StopReason);

        vm.Balloon.Target = 0;                            // give it all back
        host.RunFor(2);
        Assert.Equal(0, vm.Memory.BalloonedPages);
        Assert.Equal(0u, vm.Balloon.ReportedActual);
        Assert.Equal(0, vm.Memory.RejectedTotal);
    }

    [Fact]
    public void Deflate_on_oom_takes_pages_back_instead_of_failing()
    {
        var host = new Host(MemHost());
        var vm = host.CreateVm(PhasesVm("g", pages: 180));
        host.RunFor(12);                                  // first busy phase done, pages freed
        vm.Balloon.Target = 200;                          // more than the guest can spare once it is busy again
        host.RunFor(30);
        Assert.False(vm.IsStopped, vm.StopReason);        // no OOM panic
        Assert.True(vm.Memory.DeflatedTotal > 0, "the allocator took pages back from the balloon");
        Assert.True(vm.Progress > 0);
        Assert.Equal(0, vm.Memory.RejectedTotal);
        Assert.Equal(vm.Memory.MappedPages, FramesOwnedBy(host, vm.Id));
        Assert.Equal((int)vm.Balloon.ReportedActual, vm.Memory.BalloonedPages);
    }

    [Fact]
    public void Deflate_on_oom_on_a_second_vcpu_is_answered_by_hart_0()
    {
        var host = new Host(MemHost());
        var vm = host.CreateVm(new VmConfig { Name = "smp", Vcpus = 2, MemoryPages = 256, TickMilliseconds = 1, Workload = Workload.Phases(40, ticks: 4, startDelayTicks: 5) });
        host.RunFor(2);                                   // both harts booted and set up their share of the allocator
        // Use up hart 1's share (as if other kernel users held it): its bump pointer goes to the end.
        uint hart1 = GuestKernel.Symbol("palloc_state") + 16;
        Assert.True(vm.Memory.Space.TryWrite(hart1, 4, vm.ReadGuestWord(hart1 + 4)));
        vm.Balloon.Target = 60;                           // hart 0's driver fills the balloon from hart 0's share
        host.RunFor(60);
        Assert.False(vm.IsStopped, vm.StopReason);        // hart 1 did not panic with out-of-memory
        uint requests = vm.ReadGuestWord(GuestKernel.Symbol("oom_ticket") + 4);
        Assert.True(requests >= 40, $"hart 1 asked hart 0 for {requests} pages");
        Assert.Equal(requests, vm.ReadGuestWord(GuestKernel.Symbol("oom_served") + 4));   // every request answered
        Assert.True(vm.ProgressOf(1) > 0, "hart 1 walked pages it got from the balloon");
        Assert.True(vm.ProgressOf(0) > 0);
        Assert.True(vm.Memory.DeflatedTotal >= 40, $"deflated {vm.Memory.DeflatedTotal}");
        Assert.Equal(0, vm.Memory.RejectedTotal);         // the device's batch registers were never used by two harts at once
        Assert.Equal((int)vm.Balloon.ReportedActual, vm.Memory.BalloonedPages);
        Assert.Equal(vm.Memory.MappedPages, FramesOwnedBy(host, vm.Id));
    }

    [Fact]
    public void Without_the_driver_the_target_is_ignored()
    {
        var host = new Host(MemHost());
        var vm = host.CreateVm(PhasesVm("g", driver: false));
        vm.Balloon.Target = 50;
        host.RunFor(10);
        Assert.Equal(0, vm.Memory.BalloonedPages);
        Assert.Equal(0, vm.Balloon.TargetReads);
    }

    // A driver that lies: page numbers outside its RAM, a page twice, a deflate of a page it never
    // gave, a batch larger than 256, a batch address outside RAM. One good page in between.
    private const string LyingDriver = """
            li      s0, 0x10002000
            li      s1, 0x80008000        # the batch array
            li      t0, 0x1
            sw      t0, 0(s1)             # below guest RAM
            li      t0, 0x90000
            sw      t0, 4(s1)             # above this VM's 64 pages
            li      t0, 0x80020
            sw      t0, 8(s1)             # a good one
            sw      t0, 12(s1)            # ... reported twice
            sw      s1, 12(s0)
            li      t0, 4
            sw      t0, 16(s0)
            li      t0, 1
            sw      t0, 20(s0)            # inflate
            li      t0, 0x80021
            sw      t0, 0(s1)
            li      t0, 1
            sw      t0, 16(s0)
            li      t0, 2
            sw      t0, 20(s0)            # deflate a page not in the balloon
            li      t0, 1000
            sw      t0, 16(s0)
            li      t0, 1
            sw      t0, 20(s0)            # batch too large
            li      t0, 0x40000000
            sw      t0, 12(s0)
            li      t0, 4
            sw      t0, 16(s0)
            sw      t0, 20(s0)            # unknown command 4 (and a bad address)
            li      t0, 1
            sw      t0, 20(s0)            # inflate from an address outside RAM
            lw      a0, 24(s0)            # ACCEPTED of the last batch: 0
        """ + "\n" + Shutdown;

    [Fact]
    public void Bad_reports_are_rejected_with_reasons_and_cannot_touch_another_vm()
    {
        var host = new Host(SmallHost(cores: 2));
        var victim = host.CreateVm(new VmConfig { Name = "victim", MemoryPages = 256, Workload = Workload.Memory(64, 64) });
        int victimMapped = victim.Memory.MappedPages;
        var frames = Enumerable.Range(0, victim.Memory.Pages).Select(victim.Memory.FrameOf).ToArray();
        var liar = host.CreateVm(new VmConfig { Name = "liar", MemoryPages = 64, TickMilliseconds = 0 }, Assemble(LyingDriver));
        for (int i = 0; i < 200 && !liar.IsStopped; i++) host.RunFor(0.5);
        Assert.True(liar.IsStopped, $"pc 0x{liar.Vcpus[0].Hart.Pc:x8}, {liar.Vcpus[0].State}, rejected {liar.Memory.RejectedTotal}, a7 0x{liar.Vcpus[0].Hart[17]:x} a6 {liar.Vcpus[0].Hart[16]} run {liar.Vcpus[0].Sched.RunCycles} instr {liar.Instructions}");
        Assert.Equal(0, ExitCode(liar));
        Assert.Equal(1, liar.Memory.InflatedTotal);                 // only 0x80020 (the VM has shut down since: its balloon is gone)
        Assert.Equal(0, liar.Memory.DeflatedTotal);
        var reasons = liar.Memory.Rejections.Select(r => r.Reason).ToList();
        Assert.Equal(7, liar.Memory.RejectedTotal);
        Assert.Contains(reasons, r => r.Contains("outside this VM's RAM") && r.Contains("0x1 "));
        Assert.Contains(reasons, r => r.Contains("0x90000"));
        Assert.Contains(reasons, r => r.Contains("already in the balloon"));
        Assert.Contains(reasons, r => r.Contains("not in the balloon"));
        Assert.Contains(reasons, r => r.Contains("larger than 256"));
        Assert.Contains(reasons, r => r.Contains("unknown balloon command 4"));
        Assert.Contains(reasons, r => r.Contains("is not aligned guest RAM"));
        // The victim lost nothing: same frames, still its own, still running.
        Assert.False(victim.IsStopped, victim.StopReason);
        Assert.True(victim.Memory.MappedPages >= victimMapped);
        Assert.Equal(victim.Memory.MappedPages, FramesOwnedBy(host, victim.Id));
        Assert.Equal(0, victim.Memory.BalloonedPages);
        for (int p = 0; p < frames.Length; p++)
            if (frames[p] >= 0) { Assert.Equal(frames[p], victim.Memory.FrameOf(p)); Assert.Equal(victim.Id, host.Frames.OwnerOf(frames[p])); }
    }

    [Fact]
    public void Admission_control_refuses_a_min_the_host_cannot_guarantee()
    {
        var host = new Host(SmallHost() with { RamPages = 1024, HypervisorMemoryPages = 24 });
        host.CreateVm(new VmConfig { Name = "a", MemoryPages = 800, MinPages = 600 });
        var ex = Assert.Throws<ConfigurationException>(() => host.CreateVm(new VmConfig { Name = "b", MemoryPages = 800, MinPages = 500 }));
        Assert.Equal("b.min-pages", ex.Field);
        Assert.Contains("admission control: cannot guarantee 500 pages", ex.Message);
        Assert.Contains("only 400 can still be promised", ex.Message);
        host.CreateVm(new VmConfig { Name = "c", MemoryPages = 800, MinPages = 400 });   // fits exactly
        Assert.Equal(1.6, host.OvercommitRatio, 3);   // a and c: 1,600 pages of max on 1,000
        Assert.Throws<ConfigurationException>(() => host.CreateVm(new VmConfig { Name = "d", MemoryPages = 100, MinPages = 101 }));
    }
}
