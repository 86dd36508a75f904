using VirtLab.Hypervisor;
using VirtLab.Machine;
using VirtLab.Machine.Devices;
using VirtLab.Memory;
using VirtLab.Programs;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

/// <summary>
/// Every exit reason produces one <see cref="VmExit"/> with the right fields (vCPU, pc, instruction,
/// operands, cycles), seen through the VM's exit trace; and the trace and the counters agree.
/// </summary>
public class VmExitTests
{
    private static readonly CostModel Costs = new();

    /// <summary>A guest traced from its first instruction: its VM, its image (for label addresses) and the host.</summary>
    private sealed record Traced(Host Host, VirtualMachine Vm, ProgramImage Image)
    {
        public uint At(string label) => Image.TryGetSymbol(label, out uint address) ? address : throw new ArgumentException($"no label {label}");

        public IReadOnlyList<TracedExit> Exits => Vm.Trace.Exits;

        /// <summary>The one traced exit of <paramref name="reason"/> at <paramref name="label"/>.</summary>
        public TracedExit One(VmExitReason reason, string label) =>
            Assert.Single(Exits, e => e.Exit.Reason == reason && e.Exit.Pc == At(label));

        /// <summary>Runs in small steps until the guest stops or <paramref name="until"/> holds.</summary>
        public void Run(Func<bool>? until = null, double milliseconds = 40)
        {
            for (int i = 0; i < 2000 && !Vm.IsStopped && !(until?.Invoke() ?? false); i++) Host.RunFor(milliseconds / 2000);
        }
    }

    private static Traced Boot(string body, HostConfig? config = null, int vcpus = 1)
    {
        var image = Assemble(body);
        var host = new Host(config ?? SmallHost(cores: vcpus));
        var vm = host.CreateVm(new VmConfig { Name = "test", Vcpus = vcpus, MemoryPages = 64 }, image);
        vm.Trace.Start(capacity: 10_000);
        return new Traced(host, vm, image);
    }

    private static Traced RunTraced(string body, HostConfig? config = null)
    {
        var traced = Boot(body, config);
        traced.Run();
        Assert.True(traced.Vm.IsStopped, "the guest did not finish");
        return traced;
    }

    [Fact]
    public void A_csr_write_exit_names_the_csr_its_source_and_the_instruction_and_the_trace_shows_the_csrs_before_and_after()
    {
        var t = RunTraced($"""
                li      t0, 0x88
            write:
                csrw    mstatus, t0
                li      t1, 0x1234
                csrw    mscratch, t1
            read:
                csrr    a0, mscratch
            {Shutdown}
            """);
        var write = t.One(VmExitReason.CsrAccess, "write");
        Assert.Same(t.Vm.Vcpus[0], write.Exit.Vcpu);
        Assert.Equal(0x3002_9073u, write.Exit.Instruction);   // csrrw zero, mstatus, t0
        Assert.Equal("csrw mstatus, t0", write.Exit.Disassembly);
        Assert.Equal((uint)Csr.MStatus, write.Exit.Csr!.Value.Csr);
        Assert.Equal(0x88u, write.Exit.Value);
        Assert.Equal(Costs.VmExitCycles + Costs.EmulateInstructionCycles, write.Exit.Cycles);
        Assert.Equal(0u, write.CsrsBefore.MStatus);
        Assert.Equal(0x88u, write.CsrsAfter.MStatus);
        Assert.Equal([new CsrChange("mstatus", 0, 0x88)], write.CsrChanges);
        Assert.Empty(write.RegisterChanges);
        Assert.Equal(t.At("write") + 4, write.ResumePc);
        Assert.Null(write.StopReason);

        var read = t.One(VmExitReason.CsrAccess, "read");
        Assert.Empty(read.CsrChanges);
        Assert.Equal([new RegisterChange(10, 0, 0x1234)], read.RegisterChanges);
        Assert.Equal("a0", read.RegisterChanges[0].Name);
    }

    [Fact]
    public void Mret_and_wfi_exits_carry_their_instruction_and_resume_where_the_emulation_says()
    {
        var t = RunTraced($"""
                la      t0, after
                csrw    mepc, t0
            ret:
                mret
                li      a0, 99
            after:
                li      t0, 0x02004004          # mtimecmp of hart 0, high word
                sw      zero, 0(t0)
                li      t0, 0x02004000
                li      t1, 50
                sw      t1, 0(t0)               # a deadline 50 ticks from the start
                li      t0, 0x80
                csrw    mie, t0                 # timer enabled in mie, but mstatus.MIE off: wfi wakes, no trap
            idle:
                wfi
                li      a0, 5
            {Shutdown}
            """);
        Assert.Equal(5, ExitCode(t.Vm));
        var mret = t.One(VmExitReason.PrivilegedInstruction, "ret");
        Assert.Equal(InstructionSet.MretWord, mret.Exit.Instruction);
        Assert.Equal("mret", mret.Exit.Disassembly);
        Assert.Equal(t.At("after"), mret.ResumePc);
        Assert.Equal(Costs.VmExitCycles + Costs.EmulateInstructionCycles, mret.Exit.Cycles);
        Assert.Equal([new CsrChange("mstatus", 0, 0x80)], mret.CsrChanges);   // MPIE := 1

        var wfi = t.One(VmExitReason.Wfi, "idle");
        Assert.Equal(InstructionSet.WfiWord, wfi.Exit.Instruction);
        Assert.Equal(t.At("idle") + 4, wfi.ResumePc);
        Assert.Equal(Costs.VmExitCycles + Costs.EmulateInstructionCycles, wfi.Exit.Cycles);
    }

    [Theory]
    [InlineData(HypervisorKind.Type1)]
    [InlineData(HypervisorKind.Type2)]
    public void Hypercall_and_mmio_exits_carry_their_operands_and_device_exits_pay_the_trip_to_the_hypervisor_process_on_type2(HypervisorKind kind)
    {
        var t = RunTraced($"""
                li      a0, 'x'
                li      a6, 0                   # putchar: the console, a device model
                li      a7, 0x564C4142
            put:
                ecall
                li      t0, 0x10000000
            uart:
                lbu     t1, 5(t0)               # line status: a device in the hypervisor's process
                li      t0, 0x0200BFF8
            clint:
                lw      t2, 0(t0)               # mtime: the CLINT is in the host kernel on Type 2
                li      a0, 0
            {Shutdown}
            """, SmallHost() with { Kind = kind });
        ulong trip = kind == HypervisorKind.Type2 ? Costs.HostKernelRoundTripCycles : 0;

        var put = t.One(VmExitReason.Hypercall, "put");
        Assert.Equal(Hypercalls.PutChar, put.Exit.Value);
        Assert.Equal(InstructionSet.EcallWord, put.Exit.Instruction);
        Assert.Equal(Costs.HypercallCycles + trip, put.Exit.Cycles);
        Assert.Contains(put.RegisterChanges, r => r.Register == 10 && r.After == 0);   // a0 = 0: success

        var uart = t.One(VmExitReason.Mmio, "uart");
        Assert.Equal(0x1000_0005u, uart.Exit.Address);
        Assert.Equal(MemoryAccess.Read, uart.Exit.Access);
        Assert.Equal(1, uart.Exit.Size);
        Assert.Equal(0x60u, uart.Exit.Value);               // transmitter empty, nothing received
        Assert.Equal("uart0", uart.Exit.Device);
        Assert.Equal("lbu t1, 5(t0)", uart.Exit.Disassembly);
        Assert.Equal(Costs.VmExitCycles + Costs.MmioEmulationCycles + trip, uart.Exit.Cycles);
        Assert.Equal(t.At("uart") + 4, uart.ResumePc);       // the device model completed the load during the instruction

        var clint = t.One(VmExitReason.Mmio, "clint");
        Assert.Equal("vclint", clint.Exit.Device);
        Assert.Equal(4, clint.Exit.Size);
        Assert.Equal(Costs.VmExitCycles + Costs.MmioEmulationCycles, clint.Exit.Cycles);

        var shutdown = t.Exits[^1];
        Assert.Equal(VmExitReason.Hypercall, shutdown.Exit.Reason);
        Assert.Equal(Hypercalls.Shutdown, shutdown.Exit.Value);
        Assert.Equal(Costs.HypercallCycles, shutdown.Exit.Cycles);
        Assert.Equal("guest shut down with code 0", shutdown.StopReason);
    }

    [Fact]
    public void The_balloon_doorbell_is_an_exit_of_its_own_whose_handler_inflates_the_balloon()
    {
        var t = RunTraced($"""
                la      t0, batch
                li      t1, 0x80011             # page number of guest page 0x80011000
                sw      t1, 0(t0)
                li      t2, 0x10002000
                sw      t0, 0x0C(t2)            # BATCH_ADDR
                li      t1, 1
                sw      t1, 0x10(t2)            # BATCH_COUNT
            ring:
                sw      t1, 0x14(t2)            # COMMAND = inflate: the doorbell
                lw      a0, 0x18(t2)            # ACCEPTED
            {Shutdown}
                .data
            batch: .word 0
            """);
        Assert.Equal(1, ExitCode(t.Vm));
        var ring = t.One(VmExitReason.BalloonDoorbell, "ring");
        Assert.Equal(BalloonDevice.DefaultBase + BalloonDevice.RegCommand, ring.Exit.Address);
        Assert.Equal(MemoryAccess.Write, ring.Exit.Access);
        Assert.Equal(BalloonDevice.CommandInflate, ring.Exit.Value);
        Assert.Equal("vballoon", ring.Exit.Device);
        Assert.Equal(Costs.VmExitCycles + Costs.MmioEmulationCycles, ring.Exit.Cycles);
        Assert.Equal(1, t.Vm.Memory.InflatedTotal);   // (the VM has stopped: its balloon went back with its memory)
        var exits = t.Vm.Exits;
        Assert.Equal(1, exits[VmExitReason.BalloonDoorbell]);
        Assert.Equal(exits[VmExitReason.Mmio] + 1, exits.InFamily(VmExitReason.Mmio));
    }

    [Fact]
    public void Page_faults_swap_ins_and_touch_faults_are_exits_of_the_instruction_that_touched_the_page()
    {
        var t = Boot($"""
                li      s1, 0x80010000
                la      s2, flags
            store:
                sw      zero, 0(s1)             # first touch: a second-stage fault
            wait1:
                lw      t1, 0(s2)
                beqz    t1, wait1
            load1:
                lw      t1, 0(s1)               # the host swapped the page out: fault and swap-in
            wait2:
                lw      t1, 4(s2)
                beqz    t1, wait2
            load2:
                lw      t1, 0(s1)               # the host hid the page to see whether it is touched
                li      a0, 0
            {Shutdown}
                .data
            flags: .word 0, 0
            """);
        const int Page = 0x10;
        uint pageAddress = GuestPhysicalAddress.RamBase + Page * PhysicalMemory.PageSize;
        bool Seen(VmExitReason reason) => t.Exits.Any(e => e.Exit.Reason == reason && e.Exit.Address == pageAddress);

        t.Run(until: () => Seen(VmExitReason.GuestPageFault));
        var fault = t.One(VmExitReason.GuestPageFault, "store");
        Assert.Equal(pageAddress, fault.Exit.Address);
        Assert.Equal(MemoryAccess.Write, fault.Exit.Access);
        Assert.Equal(Costs.VmExitCycles + Costs.GuestPageFaultCycles, fault.Exit.Cycles);
        Assert.Equal("sw zero, 0(s1)", fault.Exit.Disassembly);

        Assert.True(t.Vm.Memory.SwapOut(Page));
        Assert.True(t.Vm.Memory.Space.TryWrite(t.At("flags"), 4, 1));
        t.Run(until: () => Seen(VmExitReason.SwapIn));
        var swapFault = t.One(VmExitReason.GuestPageFault, "load1");
        Assert.Equal(MemoryAccess.Read, swapFault.Exit.Access);
        var swapIn = t.One(VmExitReason.SwapIn, "load1");
        Assert.Equal(pageAddress, swapIn.Exit.Address);
        Assert.Equal(Costs.SwapInCycles, swapIn.Exit.Cycles);
        Assert.Equal(Costs.SwapInCycles, t.Vm.SwapInStallCycles);
        Assert.True(t.Exits.ToList().IndexOf(swapFault) < t.Exits.ToList().IndexOf(swapIn), "the fault comes first, then the read's stall");

        t.Vm.Memory.WatchForTouch(Page);
        Assert.True(t.Vm.Memory.Space.TryWrite(t.At("flags") + 4, 4, 1));
        t.Run();
        Assert.Equal(0, ExitCode(t.Vm));
        var touch = t.One(VmExitReason.TouchFault, "load2");
        Assert.Equal(pageAddress, touch.Exit.Address);
        Assert.Equal(MemoryAccess.Read, touch.Exit.Access);
        Assert.Equal(Costs.VmExitCycles + Costs.TouchFaultCycles, touch.Exit.Cycles);
        Assert.Equal(1, t.Vm.Memory.TouchFaults);

        var exits = t.Vm.Exits;
        Assert.Equal(exits[VmExitReason.GuestPageFault] + 2, exits.InFamily(VmExitReason.GuestPageFault));
    }

    [Fact]
    public void A_timer_interrupt_is_injected_through_the_exit_switch_at_the_virtual_mtvec()
    {
        var t = RunTraced($"""
                la      t0, handler
                csrw    mtvec, t0
                li      t0, 0x02004004
                sw      zero, 0(t0)
                li      t0, 0x02004000
                li      t1, 100
                sw      t1, 0(t0)               # mtimecmp = 100 ticks
                li      t0, 0x80
                csrw    mie, t0
                csrsi   mstatus, 8
            spin:
                j       spin
                .balign 4
            handler:
                csrr    a0, mcause
            {Shutdown}
            """);
        Assert.Equal(unchecked((int)0x8000_0007), ExitCode(t.Vm));
        var timer = Assert.Single(t.Exits, e => e.Exit.Reason == VmExitReason.Timer);
        Assert.Equal(t.At("spin"), timer.Exit.Pc);   // where the guest was interrupted
        Assert.Equal(0u, timer.Exit.Instruction);    // no instruction caused it
        Assert.Equal(TrapCause.MachineTimerInterrupt, timer.Exit.Cause);
        Assert.Equal(Costs.InterruptInjectionCycles, timer.Exit.Cycles);
        Assert.Equal(t.At("handler"), timer.ResumePc);
        Assert.Equal(0x8000_0007u, timer.CsrsAfter.MCause);
        Assert.Equal(t.At("spin"), timer.CsrsAfter.MEpc);
        Assert.Equal(InterruptBits.MachineTimer, timer.CsrsBefore.Mip);
    }

    [Fact]
    public void An_ipi_is_a_software_interrupt_exit_of_the_vcpu_it_is_sent_to()
    {
        var t = Boot(InterProcessorInterrupt, vcpus: 2);
        t.Run();
        Assert.Equal(42, ExitCode(t.Vm));
        var send = t.One(VmExitReason.Mmio, "send");
        Assert.Same(t.Vm.Vcpus[0], send.Exit.Vcpu);
        Assert.Equal(0x0200_0004u, send.Exit.Address);
        var ipi = Assert.Single(t.Exits, e => e.Exit.Reason == VmExitReason.SoftwareInterrupt);
        Assert.Same(t.Vm.Vcpus[1], ipi.Exit.Vcpu);
        Assert.Equal(TrapCause.MachineSoftwareInterrupt, ipi.Exit.Cause);
        Assert.Equal(Costs.InterruptInjectionCycles, ipi.Exit.Cycles);
        Assert.Equal(t.At("handler"), ipi.ResumePc);
    }

    [Fact]
    public void Faults_of_the_guests_own_making_are_reflected_with_their_cause_and_tval()
    {
        var t = RunTraced($"""
                la      t0, handler1
                csrw    mtvec, t0
            brk:
                ebreak
                .balign 4
            handler1:
                la      t0, handler2
                csrw    mtvec, t0
                li      a7, 0                   # not the hypercall marker: the guest's own ecall
            call:
                ecall
                .balign 4
            handler2:
                li      a0, 3
            {Shutdown}
            """);
        Assert.Equal(3, ExitCode(t.Vm));
        var brk = t.One(VmExitReason.GuestException, "brk");
        Assert.Equal(TrapCause.Breakpoint, brk.Exit.Cause);
        Assert.Equal(t.At("brk"), brk.Exit.Tval);
        Assert.Equal(InstructionSet.EbreakWord, brk.Exit.Instruction);
        Assert.Equal(t.At("handler1"), brk.ResumePc);
        Assert.Equal(Costs.VmExitCycles + Costs.EmulateInstructionCycles, brk.Exit.Cycles);
        Assert.Equal((uint)TrapCause.Breakpoint, brk.CsrsAfter.MCause);

        var call = t.One(VmExitReason.GuestException, "call");
        Assert.Equal(TrapCause.EnvironmentCallFromMMode, call.Exit.Cause);   // the guest believes it runs in M-mode
        Assert.Equal(t.At("handler2"), call.ResumePc);
    }

    [Fact]
    public void A_csr_the_guest_may_not_access_is_reflected_as_an_illegal_instruction()
    {
        var t = RunTraced($"""
                la      t0, handler
                csrw    mtvec, t0
            bad:
                csrw    mhartid, zero           # read-only
                .balign 4
            handler:
                li      a0, 0
            {Shutdown}
            """);
        var bad = t.One(VmExitReason.GuestException, "bad");
        Assert.Equal(TrapCause.IllegalInstruction, bad.Exit.Cause);
        Assert.Equal(bad.Exit.Instruction, bad.Exit.Tval);
        Assert.Equal("csrw mhartid, zero", bad.Exit.Disassembly);
        Assert.DoesNotContain(t.Exits, e => e.Exit.Reason == VmExitReason.CsrAccess && e.Exit.Pc == t.At("bad"));
    }

    [Fact]
    public void Every_exit_goes_through_the_switch_once_the_trace_and_the_counters_agree_and_cost_the_same_cycles()
    {
        // The guest kernel with its balloon driver, on an overcommitted host, so that every kind of
        // exit happens: CSR, mret, wfi, timer, MMIO, doorbell, hypercalls, faults, touch faults, swap-ins.
        var host = new Host(new HostConfig { Cores = 2, RamPages = 900, Seed = 3 });
        var workloads = new[] { Guest.Workload.Io(), Guest.Workload.ExitPv(), Guest.Workload.WorkingSet(pages: 200, touchPages: 400), Guest.Workload.WorkingSet(pages: 200, touchPages: 400) };
        var vms = workloads.Select((workload, i) => host.CreateVm(new VmConfig
        {
            Name = $"vm{i}", MemoryPages = 512, TickMilliseconds = 1, Workload = workload,
        })).ToList();
        foreach (var vm in vms) vm.Trace.Start(ExitTrace.MaxCapacity);
        host.RunFor(120);

        var seen = new HashSet<VmExitReason>();
        foreach (var vm in vms)
        {
            var traced = vm.Trace.Exits;
            Assert.Equal(0, vm.Trace.Dropped);
            Assert.Equal(vm.Exits.Total, traced.Count);
            Assert.Equal(vm.Exits.TotalCycles, (ulong)traced.Sum(e => (decimal)e.Exit.Cycles));
            foreach (var reason in Enum.GetValues<VmExitReason>())
            {
                Assert.Equal(vm.Exits[reason], traced.Count(e => e.Exit.Reason == reason));
                Assert.Equal(vm.Exits.CyclesOf(reason), (ulong)traced.Where(e => e.Exit.Reason == reason).Sum(e => (decimal)e.Exit.Cycles));
                if (vm.Exits[reason] > 0) seen.Add(reason);
            }
            Assert.All(traced, e => Assert.Same(vm, e.Exit.Vcpu!.Vm));
            Assert.Equal(Enumerable.Range(0, traced.Count).Select(i => (long)i), traced.Select(e => e.Number));
        }
        Assert.Equal(Enum.GetValues<VmExitReason>().Except([VmExitReason.SoftwareInterrupt, VmExitReason.GuestException]).Order(), seen.Order());
    }

    [Fact]
    public void Exit_counters_sum_finer_reasons_into_their_family()
    {
        Assert.Equal(VmExitReason.GuestPageFault, ExitCounters.FamilyOf(VmExitReason.TouchFault));
        Assert.Equal(VmExitReason.GuestPageFault, ExitCounters.FamilyOf(VmExitReason.SwapIn));
        Assert.Equal(VmExitReason.Mmio, ExitCounters.FamilyOf(VmExitReason.BalloonDoorbell));
        Assert.Equal(VmExitReason.CsrAccess, ExitCounters.FamilyOf(VmExitReason.CsrAccess));
        var counters = new ExitCounters();
        counters.Add(VmExitReason.GuestPageFault, 10);
        counters.Add(VmExitReason.SwapIn, 300);
        counters.Add(VmExitReason.TouchFault, 5);
        counters.Add(VmExitReason.Mmio, 7);
        Assert.Equal(3, counters.InFamily(VmExitReason.GuestPageFault));
        Assert.Equal(315u, counters.CyclesInFamily(VmExitReason.GuestPageFault));
        Assert.Equal(1, counters.InFamily(VmExitReason.Mmio));
        Assert.Equal(1, counters[VmExitReason.GuestPageFault]);
    }
}
