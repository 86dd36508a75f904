using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Tests.Guests;

/// <summary>The guest kernel's dispatch and its shared page-list routines.</summary>
public class GuestKernelTests
{
    /// <summary>The label of each workload's code in <c>GuestKernel.s</c>.</summary>
    public static TheoryData<WorkloadKind, string> WorkloadLabels() => new()
    {
        { WorkloadKind.Cpu, "w_cpu" }, { WorkloadKind.Memory, "w_mem" }, { WorkloadKind.Io, "w_io" },
        { WorkloadKind.Bursty, "w_bursty" }, { WorkloadKind.ExitCsr, "w_exit_csr" }, { WorkloadKind.ExitMmio, "w_exit_mmio" },
        { WorkloadKind.ExitPv, "w_exit_pv" }, { WorkloadKind.Scribble, "w_scribble" }, { WorkloadKind.BadVector, "w_bad_vector" },
        { WorkloadKind.Phases, "w_phases" }, { WorkloadKind.WorkingSet, "w_wset" }, { WorkloadKind.Alu, "w_alu" },
        { WorkloadKind.Cache, "w_cache" },
    };

    [Theory]
    [MemberData(nameof(WorkloadLabels))]
    public void The_jump_table_sends_each_workload_number_to_its_code(WorkloadKind kind, string label)
    {
        uint entry = GuestKernel.Symbol("workload_table") + 4 * (uint)kind;
        Assert.True(GuestKernel.Image.TryReadWord(entry, out uint target));
        Assert.Equal(GuestKernel.Symbol(label), target);
    }

    [Fact]
    public void The_jump_table_has_one_entry_per_workload()
    {
        uint bytes = GuestKernel.Symbol("workload_table_end") - GuestKernel.Symbol("workload_table");
        Assert.Equal((uint)Enum.GetValues<WorkloadKind>().Length * 4, bytes);
    }

    [Theory]
    [InlineData(13u)]
    [InlineData(0x8000_0000u)]   // "negative": the bounds check is unsigned
    public void A_workload_number_past_the_table_is_a_guest_panic_with_code_1(uint number)
    {
        var host = new Host(new HostConfig { Cores = 1 });
        var vm = host.CreateVm(new VmConfig { Name = "g", Workload = new Workload((WorkloadKind)number), BalloonDriver = false });
        host.RunFor(1);
        Assert.True(vm.IsStopped && vm.Crashed);
        Assert.Equal($"guest panic: code 1, detail 0x{number:x8}", vm.StopReason);
    }

    [Theory]
    [InlineData("phases:pages=40,ticks=2,idle=2")]
    [InlineData("wset:pages=24,touch=60")]
    [InlineData("mem:pages=30")]
    [InlineData("cache:pages=30")]
    public void Pages_the_workloads_allocate_and_free_come_back_to_the_allocator(string text)
    {
        // The allocator's state per hart: [next, end, free list head, unused]. After the workloads
        // have run a while, every page handed out is either in use by the workload or on the free
        // list: count both and compare with what the bump pointer gave out.
        var workload = Workload.Parse(text, out string? error) ?? throw new InvalidOperationException(error);
        var host = new Host(new HostConfig { Cores = 1 });
        var vm = host.CreateVm(new VmConfig { Name = "g", Workload = workload, TickMilliseconds = 1, BalloonDriver = false });
        host.RunFor(25);
        Assert.False(vm.IsStopped, vm.StopReason);
        Assert.True(vm.Progress > 0);

        uint state = GuestKernel.Symbol("palloc_state"), heap = GuestKernel.Symbol("heap_start");
        uint handedOut = (vm.ReadGuestWord(state) - heap) / 4096;
        int onFreeList = 0;
        for (uint page = vm.ReadGuestWord(state + 8); page != 0; page = vm.ReadGuestWord(page))
        {
            Assert.True(page >= heap && page % 4096 == 0 && ++onFreeList <= handedOut, $"free list entry 0x{page:x8}");
        }
        uint expectedHandedOut = workload.Kind == WorkloadKind.WorkingSet ? workload.Arg1 : workload.Arg0;
        Assert.Equal(expectedHandedOut, handedOut);
        switch (workload.Kind)
        {
            case WorkloadKind.WorkingSet:   // touched arg1, freed them all, took arg0 back for the working set
                Assert.Equal(workload.Arg1 - workload.Arg0, (uint)onFreeList);
                break;
            case WorkloadKind.Phases:       // all arg0 in use (a busy phase) or all free (an idle one)
                Assert.True(onFreeList == 0 || onFreeList == workload.Arg0, $"{onFreeList} pages on the free list");
                break;
            default:                        // one region, allocated once and kept
                Assert.Equal(0, onFreeList);
                break;
        }
    }
}
