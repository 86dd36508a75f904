using VirtLab.Hypervisor;
using VirtLab.Machine;
using VirtLab.Scheduling;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

public class TrapAndEmulateTests
{
    [Theory]
    [InlineData("mscratch", 0x1234_5678u, 0x1234_5678u)]
    [InlineData("mepc", 0x8000_0103u, 0x8000_0100u)]          // WARL: low bits cleared
    [InlineData("mcause", 0x8000_0007u, 0x8000_0007u)]
    [InlineData("mtval", 0xDEAD_BEEFu, 0xDEAD_BEEFu)]
    [InlineData("mtvec", 0x8000_0201u, 0x8000_0201u)]          // vectored mode is legal
    [InlineData("mtvec", 0x8000_0202u, 0x8000_0200u)]          // mode 2 is reserved: the old mode (0) stays
    [InlineData("mie", 0xFFFF_FFFFu, 0x888u)]                  // only MSIE, MTIE, MEIE exist
    [InlineData("mstatus", 0x0000_1888u, 0x0000_1888u)]        // MIE, MPIE, MPP=M
    [InlineData("mstatus", 0x0000_0800u, 0x0000_0000u)]        // MPP=S does not exist: reads back U
    [InlineData("mcounteren", 0x7u, 0x7u)]
    [InlineData("mip", 0xFFFF_FFFFu, 0x0u)]                    // pending bits are not writable
    [InlineData("misa", 0u, Hart.MisaValue)]                   // WARL: extensions cannot be switched off
    public void Each_csr_write_and_read_traps_and_is_emulated_against_the_virtual_csrs(string csr, uint written, uint expected)
    {
        var vm = RunAlone($"""
                li      t0, {written}
                csrw    {csr}, t0
                csrr    a0, {csr}
            {Shutdown}
            """);
        Assert.Equal(expected, (uint)ExitCode(vm));
        Assert.Equal(2, vm.Exits[VmExitReason.CsrAccess]);
        // The real hart never left U-mode and its own machine CSRs were never touched.
        var hart = vm.Vcpus[0].Hart;
        Assert.Equal(Privilege.User, hart.Privilege);
        Assert.Equal(0u, hart.MScratch);
        Assert.Equal(0u, hart.MTvec);
        Assert.Equal(MStatusBits.TW, hart.MStatus);
    }

    [Theory]
    [InlineData("csrrs   a0, mscratch, t0", 0xF0u, 0xFFu)]    // set bits: old | t0
    [InlineData("csrrc   a0, mscratch, t0", 0xF0u, 0x0Fu)]    // clear bits
    [InlineData("csrrw   a0, mscratch, t0", 0xF0u, 0xF0u)]
    [InlineData("csrrsi  a0, mscratch, 0x10", 0u, 0xFFu)]     // 0x0F | 0x10 = 0x1F... read back below
    public void Csr_read_modify_write_forms_follow_the_spec(string instruction, uint t0, uint expected)
    {
        var vm = RunAlone($"""
                li      t1, 0x0F
                csrw    mscratch, t1
                li      t0, {t0}
                {instruction}
                csrr    a0, mscratch
            {Shutdown}
            """);
        uint result = (uint)ExitCode(vm);
        if (instruction.StartsWith("csrrsi")) Assert.Equal(0x1Fu, result);
        else Assert.Equal(expected, result);
    }

    [Fact]
    public void Read_only_and_unknown_csrs_are_reflected_to_the_guest_as_illegal_instructions()
    {
        var vm = RunAlone($"""
                la      t0, handler
                csrw    mtvec, t0
                csrw    mhartid, zero          # read-only: illegal
            handler:
                csrr    a0, mcause
                li      t1, 2
                bne     a0, t1, fail
                csrr    a0, mtval              # the instruction bits
            {Shutdown}
            fail:
                li      a0, 99
                j       hang
            """);
        Assert.Equal(0xF140_1073u, (uint)ExitCode(vm));   // csrrw x0, mhartid, x0
        Assert.Equal(1, vm.Exits[VmExitReason.GuestException]);
    }

    [Fact]
    public void Identification_and_counter_csrs_read_virtual_values()
    {
        var vm = RunAlone($"""
                csrr    t0, mhartid            # vCPU 0
                bnez    t0, bad
                rdinstret t1
                rdinstret t2
                sub     a0, t2, t1             # one instruction apart
            {Shutdown}
            bad:
                li      a0, 99
                j       hang
            """);
        Assert.Equal(1, ExitCode(vm));
    }

    [Fact]
    public void Mret_is_emulated_MIE_from_MPIE_and_pc_from_mepc()
    {
        var vm = RunAlone($"""
                la      t0, target
                csrw    mepc, t0
                li      t0, 0x80               # MPIE
                csrw    mstatus, t0
                mret
                li      a0, 99                 # skipped
                j       hang
            target:
                csrr    a0, mstatus            # MIE=1, MPIE=1, MPP=U -> 0x88
            {Shutdown}
            """);
        Assert.Equal(0x88, ExitCode(vm));
        Assert.Equal(1, vm.Exits[VmExitReason.PrivilegedInstruction]);
    }

    [Fact]
    public void Guest_ecall_that_is_not_a_hypercall_reaches_the_guest_handler_as_an_ecall_from_M()
    {
        var vm = RunAlone($"""
                la      t0, handler
                csrw    mtvec, t0
                li      a7, 1
                ecall
                li      a0, 99
                j       hang
            handler:
                csrr    a0, mcause
            {Shutdown}
            """);
        Assert.Equal(11, ExitCode(vm));
    }

    [Fact]
    public void Wfi_exits_and_the_vcpu_waits_until_its_timer_interrupt_is_due()
    {
        // Timer deadline at mtime = 5000 ticks = 5 ms at this host's 1000 ticks/ms; interrupts enabled in mie only.
        var host = new Host(SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "w", MemoryPages = 64 }, Assemble($"""
                li      t0, 0x02004004
                sw      zero, 0(t0)            # mtimecmp high
                li      t0, 0x02004000
                li      t1, 5000
                sw      t1, 0(t0)              # mtimecmp low
                li      t0, 0x80
                csrw    mie, t0                # MTIE, but mstatus.MIE stays 0: wfi still wakes
                wfi
                li      t0, 0x0200BFF8
                lw      a0, 0(t0)              # mtime after waking
            {Shutdown}
            """));
        host.RunFor(2);
        Assert.Equal(RunState.Waiting, vm.Vcpus[0].State);
        Assert.Equal(1, vm.Exits[VmExitReason.Wfi]);
        host.RunFor(10);
        int mtime = ExitCode(vm);
        Assert.InRange(mtime, 5000, 5200);
        Assert.True(vm.Vcpus[0].Sched.WaitCycles >= 4 * 10_000);
    }

    [Fact]
    public void Injected_timer_interrupts_reach_the_guest_handler()
    {
        var vm = RunAlone($"""
                la      t0, handler
                csrw    mtvec, t0
                li      t0, 0x02004004
                sw      zero, 0(t0)
                li      t0, 0x02004000
                li      t1, 2000
                sw      t1, 0(t0)
                li      t0, 0x80
                csrw    mie, t0
                csrsi   mstatus, 8
            spin:
                addi    s0, s0, 1
                j       spin
            handler:
                csrr    a0, mcause
                li      t0, 0x80000007
                bne     a0, t0, bad
                csrr    t1, mepc               # where the guest was: inside spin
                la      t2, spin
                bltu    t1, t2, bad
                csrr    a0, mstatus            # MIE cleared, MPIE set, MPP=M: 0x1880
            {Shutdown}
            bad:
                li      a0, 99
                j       hang
            """, milliseconds: 10);
        Assert.Equal(0x1880, ExitCode(vm));
        Assert.Equal(1, vm.Exits[VmExitReason.Timer]);
        Assert.Equal(1, vm.TimerInterrupts);
    }

    [Fact]
    public void The_guest_kernel_takes_periodic_timer_ticks_and_reports_progress()
    {
        var host = new Host(SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "k", TickMilliseconds = 2, Workload = Guest.Workload.Cpu() });
        host.RunFor(40);
        Assert.False(vm.IsStopped, vm.StopReason);
        // At 10,000 cycles/ms a tick's ~8 exits take ~1 ms, so ticks come every ~2-3 ms.
        Assert.InRange(vm.Exits[VmExitReason.Timer], 12, 20);
        Assert.True(vm.Progress > 100);
        uint ticks = vm.ReadGuestWord(Guest.GuestKernel.Symbol("ticks"));
        Assert.Equal((uint)vm.Exits[VmExitReason.Timer], ticks);
    }

    [Fact]
    public void Mmio_and_hypercall_versions_do_the_same_work_with_fewer_exits()
    {
        var host = new Host(SmallHost(cores: 2));
        var trap = host.CreateVm(new VmConfig { Name = "trap", TickMilliseconds = 0, Workload = Guest.Workload.ExitMmio() });
        var pv = host.CreateVm(new VmConfig { Name = "pv", TickMilliseconds = 0, Workload = Guest.Workload.ExitPv() });
        host.RunFor(10);
        Assert.True(trap.Block.Requests > 0 && pv.Block.Requests > 0);
        Assert.InRange(trap.Exits[VmExitReason.Mmio] / (double)trap.Block.Requests, 3.9, 4.2);
        Assert.InRange(pv.Exits[VmExitReason.Hypercall] / (double)pv.Block.Requests, 0.99, 1.01);
        Assert.True(pv.Progress > 2 * trap.Progress);
    }

    [Fact]
    public void One_vcpu_interrupts_another_through_the_virtual_clint_and_its_handler_runs()
    {
        var image = Assemble(InterProcessorInterrupt);
        var host = new Host(SmallHost(cores: 2));
        var vm = host.CreateVm(new VmConfig { Name = "smp", Vcpus = 2, MemoryPages = 64 }, image);
        for (int i = 0; i < 1000 && !vm.IsStopped; i++) host.RunFor(0.05);
        Assert.Equal(42, ExitCode(vm));
        Assert.Equal(1, vm.Vcpus[1].Exits[VmExitReason.SoftwareInterrupt]);   // delivered once, to hart 1 only
        Assert.Equal(0, vm.Vcpus[0].Exits[VmExitReason.SoftwareInterrupt]);
        Assert.True(vm.Vcpus[0].Exits[VmExitReason.Mmio] >= 1, "the msip write is an MMIO exit of the sender");
        Assert.True(vm.Vcpus[1].Exits[VmExitReason.Mmio] >= 1, "the acknowledgement is an MMIO exit of the receiver");
        Assert.False(vm.Clint.SoftwarePending(1));
        Assert.True(vm.Vcpus[1].Exits[VmExitReason.Wfi] >= 1, "hart 1 slept until the IPI woke it");
    }
}
