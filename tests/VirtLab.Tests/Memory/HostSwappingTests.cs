using VirtLab.Hypervisor;
using VirtLab.Memory;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Memory;

public class HostSwappingTests
{
    // Writes address ^ marker into every word of 16 pages, waits, then checks every word.
    private const string FillWaitCheck = """
            li      s0, 0x5EED1234
            li      s1, 0x80010000
            li      s2, 0x80020000
            mv      t0, s1
        fill:
            xor     t1, t0, s0
            sw      t1, 0(t0)
            addi    t0, t0, 4
            bltu    t0, s2, fill
            li      t0, 200000
        delay:
            addi    t0, t0, -1
            bnez    t0, delay
            mv      t0, s1
        check:
            lw      t1, 0(t0)
            xor     t1, t1, s0
            bne     t1, t0, corrupted
            addi    t0, t0, 4
            bltu    t0, s2, check
            li      a0, 0
            j       done
        corrupted:
            li      a0, 1
        done:

        """ + Shutdown;

    [Fact]
    public void A_running_guest_whose_every_page_is_swapped_out_sees_its_memory_unchanged_and_pays_stalls()
    {
        // A cheap swap device, so that the test runs many swap-out/in rounds in little simulated time.
        var host = new Host(SmallHost() with { ReclamationPolicy = null, Costs = new CostModel { SwapInCycles = 5_000 } });
        var vm = host.CreateVm(new VmConfig { Name = "g", MemoryPages = 64, TickMilliseconds = 0 }, Assemble(FillWaitCheck));
        var random = new Random(7);
        for (int i = 0; i < 2000 && !vm.IsStopped; i++)
        {
            host.RunFor(0.5);
            if (!vm.IsStopped && i % 10 == 0) vm.Memory.SwapOutRandom(int.MaxValue, random);   // everything, code included, between steps
        }
        Assert.Equal(0, ExitCode(vm));
        Assert.True(vm.Memory.SwapIns > 16, $"swap-ins {vm.Memory.SwapIns}");
        Assert.Equal((ulong)vm.Memory.SwapIns * host.Costs.SwapInCycles, vm.SwapInStallCycles);
        // Each swap-in is a second-stage fault followed by the stall of the read, charged to the vCPU.
        Assert.Equal(vm.Memory.SwapIns, vm.Exits[VmExitReason.SwapIn]);
        Assert.Equal(vm.SwapInStallCycles, vm.Exits.CyclesOf(VmExitReason.SwapIn));
        Assert.True(vm.Exits[VmExitReason.GuestPageFault] >= vm.Memory.SwapIns, "every swap-in is also a page-fault exit");
        Assert.Equal(0, host.SwapArea!.UsedPages);   // the stopped VM's slots were freed
    }

    [Fact]
    public void When_the_host_runs_out_of_frames_it_swaps_a_random_page_of_another_vm_instead_of_failing()
    {
        var config = BalloonDriverTests.MemHost() with { RamPages = 600, HypervisorMemoryPages = 100 };
        var host = new Host(config);
        var a = host.CreateVm(new VmConfig { Name = "a", MemoryPages = 400, TickMilliseconds = 1, Workload = Guest.Workload.Memory(300, 4096) });
        var b = host.CreateVm(new VmConfig { Name = "b", MemoryPages = 400, TickMilliseconds = 1, Workload = Guest.Workload.Memory(300, 4096) });
        host.RunFor(60);
        Assert.False(a.IsStopped, a.StopReason);
        Assert.False(b.IsStopped, b.StopReason);
        Assert.True(a.Memory.SwapOuts + b.Memory.SwapOuts > 0);
        Assert.True(a.Memory.MappedPages + b.Memory.MappedPages <= 500);
        Assert.Equal(a.Memory.SwappedPages + b.Memory.SwappedPages, host.SwapArea!.UsedPages);
    }
}
