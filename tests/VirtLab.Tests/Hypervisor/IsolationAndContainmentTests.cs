using VirtLab.Hypervisor;
using VirtLab.Memory;
using VirtLab.Scheduling;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

public class IsolationAndContainmentTests
{
    // Fills 16 pages above 0x80010000 with its marker, then checks that every word still holds it.
    private static string FillAndCheck(uint marker) => $"""
            li      s0, {marker}
            li      s1, 0x80010000
            li      s2, 0x80020000
            mv      t0, s1
        fill:
            sw      s0, 0(t0)
            addi    t0, t0, 4
            bltu    t0, s2, fill
            li      t0, 100000             # stay alive a while, so both VMs hold their frames at once
        delay:
            addi    t0, t0, -1
            bnez    t0, delay
            mv      t0, s1
        check:
            lw      t1, 0(t0)
            bne     t1, s0, corrupted
            addi    t0, t0, 4
            bltu    t0, s2, check
            li      a0, 0
        {Shutdown}
        corrupted:
            li      a0, 1
            j       hang
        """;

    [Fact]
    public void Vms_never_share_frames_and_never_see_each_others_bytes()
    {
        var host = new Host(SmallHost(cores: 1));
        var a = host.CreateVm(new VmConfig { Name = "a", MemoryPages = 64 }, Assemble(FillAndCheck(0xAAAA_AAAA)));
        var b = host.CreateVm(new VmConfig { Name = "b", MemoryPages = 64 }, Assemble(FillAndCheck(0xBBBB_BBBB)));
        host.RunFor(40);
        // Both filled the same guest-physical pages; each is backed by its own frames, owned by its VM.
        var framesA = Enumerable.Range(0, 64).Select(a.Memory.FrameOf).Where(f => f >= 0).ToHashSet();
        var framesB = Enumerable.Range(0, 64).Select(b.Memory.FrameOf).Where(f => f >= 0).ToHashSet();
        Assert.True(framesA.Count >= 16 && framesB.Count >= 16);
        Assert.Empty(framesA.Intersect(framesB));
        Assert.All(framesA, f => Assert.Equal(a.Id, host.Frames.OwnerOf(f)));
        Assert.All(framesB, f => Assert.Equal(b.Id, host.Frames.OwnerOf(f)));
        // Neither VM's host frames contain the other's marker.
        foreach (int f in framesB)
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(host.Ram.Frame(f)).ToArray();
            Assert.DoesNotContain(0xAAAA_AAAAu, words);
        }
        host.RunFor(200);
        Assert.Equal(0, ExitCode(a));
        Assert.Equal(0, ExitCode(b));
    }

    [Fact]
    public void A_frame_returned_by_a_stopped_vm_is_zeroed_before_another_vm_gets_it()
    {
        var host = new Host(SmallHost() with { RamPages = 256 + 40 });   // 256 reserved by the hypervisor, 40 for guests
        var first = host.CreateVm(new VmConfig { Name = "first", MemoryPages = 64 }, Assemble(FillAndCheck(0xAAAA_AAAA)));
        host.RunFor(100);
        Assert.True(first.IsStopped, first.StopReason);
        Assert.Equal(0, first.Memory.MappedPages);   // all frames went back
        // A new VM that only reads: it must see zeros everywhere it looks.
        var second = host.CreateVm(new VmConfig { Name = "second", MemoryPages = 64 }, Assemble($"""
                li      t0, 0x80010000
                li      t2, 0x80020000
                li      a0, 0
            scan:
                lw      t1, 0(t0)
                or      a0, a0, t1
                addi    t0, t0, 4
                bltu    t0, t2, scan
            {Shutdown}
            """));
        host.RunFor(30);
        Assert.Equal(0, ExitCode(second));
    }

    [Fact]
    public void A_guest_cannot_reach_host_memory_or_other_devices_outside_its_address_space()
    {
        // Guest-physical addresses outside RAM and the virtual devices are not mapped to anything.
        var vm = RunAlone($"""
                la      t0, handler
                csrw    mtvec, t0
                li      t0, 0x00001000         # low memory: nothing there
                lw      t1, 0(t0)
                li      a0, 99
                j       hang
            handler:
                csrr    a0, mcause             # load access fault
            {Shutdown}
            """);
        Assert.Equal(5, ExitCode(vm));
    }

    [Fact]
    public void A_scribbling_vm_is_stopped_with_a_reason_and_the_others_carry_on()
    {
        var host = new Host(SmallHost(cores: 1));
        var good = host.CreateVm(new VmConfig { Name = "good", Workload = Guest.Workload.Cpu() });
        var scribbler = host.CreateVm(new VmConfig { Name = "scribbler", Workload = Guest.Workload.Parse("scribble", out _)! });
        var looper = host.CreateVm(new VmConfig { Name = "looper", Workload = Guest.Workload.Parse("bad-vector", out _)! });
        host.RunFor(60);   // on one core with 30 ms slices, the third VM may first run after two slices
        Assert.True(scribbler.IsStopped && scribbler.Crashed);
        Assert.Contains("guest panic: code 7", scribbler.StopReason);    // store access fault, reported by the guest kernel
        Assert.Contains("0x40000000", scribbler.StopReason);
        Assert.True(looper.IsStopped && looper.Crashed);
        Assert.Contains("fault loop", looper.StopReason);
        Assert.False(good.IsStopped);
        ulong before = good.Progress;
        host.RunFor(10);
        Assert.True(good.Progress > before);
        Assert.Equal(RunState.Stopped, scribbler.Vcpus[0].State);
        Assert.Equal(0, scribbler.Memory.MappedPages);
    }

    [Fact]
    public void A_crashing_vm_with_the_reset_policy_is_reset_with_a_reason_until_its_limit_and_the_others_carry_on()
    {
        var host = new Host(SmallHost(cores: 1));
        var good = host.CreateVm(new VmConfig { Name = "good", Workload = Guest.Workload.Cpu() });
        var scribbler = host.CreateVm(new VmConfig
        {
            Name = "scribbler", Workload = Guest.Workload.Parse("scribble", out _)!, OnCrash = CrashPolicy.Reset, ResetLimit = 2,
        });
        for (int i = 0; i < 400 && scribbler.Resets.Count == 0; i++) host.RunFor(0.5);
        Assert.Single(scribbler.Resets);
        Assert.Contains("guest panic: code 7", scribbler.Resets[0].Reason);
        Assert.False(scribbler.IsStopped);
        Assert.Equal(RunState.Runnable, scribbler.Vcpus[0].State);
        // Its frames went back and only the freshly loaded image is mapped again.
        int imagePages = scribbler.Memory.MappedPages;
        Assert.InRange(imagePages, 1, 16);
        ulong instructionsAtReset = scribbler.Instructions;

        for (int i = 0; i < 400 && !scribbler.IsStopped; i++) host.RunFor(0.5);
        Assert.True(scribbler.Instructions > instructionsAtReset, "the reset VM ran again");
        Assert.Equal(2, scribbler.Resets.Count);
        Assert.True(scribbler.IsStopped && scribbler.Crashed);
        Assert.Contains("reset limit of 2 reached", scribbler.StopReason);
        Assert.Equal(0, scribbler.Memory.MappedPages);

        Assert.Empty(good.Resets);
        Assert.False(good.IsStopped);
        ulong before = good.Progress;
        host.RunFor(40);
        Assert.True(good.Progress > before);
    }

    [Fact]
    public void A_reset_restores_the_guest_image_and_clears_the_vcpu_state()
    {
        // First boot: finds its flag clear and s0 zero, sets both, then wrecks its trap vector and faults (a crash).
        // After a reset it must find them clear again; if memory or registers survived, it shuts down with code 1 or 2.
        var image = Assemble($"""
                la      t0, flag
                lw      t1, 0(t0)
                bnez    t1, memory_survived
                bnez    s0, registers_survived
                li      t1, 1
                sw      t1, 0(t0)
                li      s0, 0x1234
                csrw    mtvec, zero
                ebreak
            registers_survived:
                li      a0, 2
                j       out
            memory_survived:
                li      a0, 1
            out:
            {Shutdown}
                .data
            flag: .word 0
            """);
        var host = new Host(SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "test", MemoryPages = 64, OnCrash = CrashPolicy.Reset, ResetLimit = 1 }, image);
        for (int i = 0; i < 1000 && !vm.IsStopped; i++) host.RunFor(0.02);
        Assert.Single(vm.Resets);
        Assert.Contains("fault loop", vm.Resets[0].Reason);
        Assert.True(vm.Crashed, vm.StopReason);   // crashed again the same way: a clean second boot
        Assert.Contains("reset limit of 1 reached", vm.StopReason);
    }

    [Fact]
    public void An_invalid_reset_limit_is_one_error_naming_the_field()
    {
        var host = new Host(SmallHost());
        var e = Assert.Throws<ConfigurationException>(() => host.CreateVm(new VmConfig { Name = "x", OnCrash = CrashPolicy.Reset, ResetLimit = -1 }));
        Assert.StartsWith("x.reset-limit:", e.Message);
    }

    [Fact]
    public void A_looping_vm_is_stopped_by_its_watchdog_and_the_others_carry_on()
    {
        var host = new Host(SmallHost(cores: 1));
        var good = host.CreateVm(new VmConfig { Name = "good", WatchdogMilliseconds = 20, Workload = Guest.Workload.Cpu() });
        var stuck = host.CreateVm(new VmConfig { Name = "stuck", WatchdogMilliseconds = 20 }, Assemble("spin:\n    j spin"));
        host.RunFor(200);
        Assert.True(stuck.IsStopped && stuck.Crashed);
        Assert.StartsWith("watchdog: no progress", stuck.StopReason);
        Assert.False(good.IsStopped, good.StopReason);
    }

    [Fact]
    public void Frames_are_allocated_on_first_touch_so_mapped_memory_is_what_the_guest_used()
    {
        var host = new Host(SmallHost());
        var small = host.CreateVm(new VmConfig { Name = "small", MemoryPages = 512, Workload = Guest.Workload.Memory(8) });
        var large = host.CreateVm(new VmConfig { Name = "large", MemoryPages = 512, Workload = Guest.Workload.Memory(200, stride: 4096) });
        host.RunFor(200);   // each first touch costs ~3,700 cycles of exit and zeroing
        Assert.InRange(small.Memory.MappedPages, 8, 20);
        Assert.InRange(large.Memory.MappedPages, 200, 212);
        Assert.Equal(large.Memory.Faults, large.Exits[VmExitReason.GuestPageFault] + CountBootFaults(large));
    }

    // Pages the host faulted in while loading the kernel image are not guest exits.
    private static long CountBootFaults(VirtualMachine vm) => vm.Memory.Faults - vm.Exits[VmExitReason.GuestPageFault];

    [Fact]
    public void GuestPhysicalAddress_knows_its_page()
    {
        var gpa = new GuestPhysicalAddress(0x8000_3010);
        Assert.Equal(3, gpa.PageIndex);
        Assert.Equal(0x10u, gpa.PageOffset);
    }
}
