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
