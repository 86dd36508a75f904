using VirtLab.Hypervisor;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

/// <summary>The exit trace: off by default, bounded as the caller chooses, numbered in order.</summary>
public class ExitTraceTests
{
    // Ten CSR exits, then the shutdown hypercall: eleven exits in all.
    private static readonly string TenCsrExits = $"""
            li      t0, 10
        again:
            csrw    mscratch, t0
            addi    t0, t0, -1
            bnez    t0, again
            li      a0, 0
        {Shutdown}
        """;

    private static VirtualMachine Run(Action<ExitTrace> setUp)
    {
        var host = new Host(SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "t", MemoryPages = 64 }, Assemble(TenCsrExits));
        setUp(vm.Trace);
        for (int i = 0; i < 1000 && !vm.IsStopped; i++) host.RunFor(0.02);
        Assert.Equal(0, ExitCode(vm));
        Assert.Equal(11, vm.Exits.Total);
        return vm;
    }

    [Fact]
    public void A_trace_is_off_until_started_and_keeps_nothing()
    {
        var vm = Run(_ => { });
        Assert.False(vm.Trace.IsRecording);
        Assert.Empty(vm.Trace.Exits);
        Assert.Equal(0, vm.Trace.Seen);
    }

    [Fact]
    public void Keeping_the_first_exits_stops_at_the_capacity()
    {
        var vm = Run(trace => trace.Start(capacity: 3));
        var kept = vm.Trace.Exits;
        Assert.Equal(3, kept.Count);
        Assert.Equal([0L, 1, 2], kept.Select(e => e.Number));
        Assert.All(kept, e => Assert.Equal(VmExitReason.CsrAccess, e.Exit.Reason));
        Assert.Equal([10u, 9, 8], kept.Select(e => e.CsrsAfter.MScratch));
        Assert.Equal(11, vm.Trace.Seen);
        Assert.Equal(8, vm.Trace.Dropped);
    }

    [Fact]
    public void Keeping_the_last_exits_is_a_ring_that_ends_with_the_most_recent()
    {
        var vm = Run(trace => trace.Start(capacity: 3, ExitTraceLimit.KeepLast));
        var kept = vm.Trace.Exits;
        Assert.Equal([8L, 9, 10], kept.Select(e => e.Number));
        Assert.Equal([2u, 1], kept.Take(2).Select(e => e.CsrsAfter.MScratch));
        Assert.Equal(VmExitReason.Hypercall, kept[2].Exit.Reason);
        Assert.NotNull(kept[2].StopReason);
        Assert.Equal(8, vm.Trace.Dropped);
        Assert.Throws<ArgumentOutOfRangeException>(() => kept[3]);
    }

    [Fact]
    public void A_stopped_trace_keeps_what_it_has_and_records_no_more()
    {
        var host = new Host(SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "t", MemoryPages = 64 }, Assemble(TenCsrExits));
        vm.Trace.Start(capacity: 100);
        for (int i = 0; i < 1000 && vm.Trace.Exits.Count < 4; i++) host.RunFor(0.001);
        vm.Trace.Stop();
        int kept = vm.Trace.Exits.Count;
        for (int i = 0; i < 1000 && !vm.IsStopped; i++) host.RunFor(0.02);
        Assert.True(vm.IsStopped);
        Assert.Equal(kept, vm.Trace.Exits.Count);
        Assert.True(vm.Exits.Total > kept);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(ExitTrace.MaxCapacity + 1)]
    public void A_capacity_out_of_range_is_refused_with_the_range(int capacity)
    {
        var trace = new Host(SmallHost()).CreateVm(new VmConfig { Name = "t", MemoryPages = 64 }, Assemble(TenCsrExits)).Trace;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trace.Start(capacity));
        Assert.Contains("between 1 and", error.Message);
        Assert.False(trace.IsRecording);
    }

    [Fact]
    public void A_traced_exit_reads_as_one_line_for_a_lesson()
    {
        var vm = Run(trace => trace.Start(capacity: 1));
        string line = vm.Trace.Exits[0].ToString();
        Assert.Contains("CsrAccess t/vcpu0", line);
        Assert.Contains("'csrw mscratch, t0'", line);
        Assert.Contains("mscratch: 0x00000000 -> 0x0000000a", line);
        Assert.Contains("1,350 cycles", line);
        Assert.Contains("resumes at 0x", line);
    }
}
