using VirtLab.Hypervisor;
using VirtLab.Machine;
using VirtLab.Machine.Devices;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

/// <summary>
/// A guest written for the bare board runs unchanged in a VM: the VM has the board's devices at the
/// board's addresses, the test finisher included, so the guest prints the same and powers off the
/// same way (Popek and Goldberg's equivalence, for one program).
/// </summary>
public class BareAndVirtualTests
{
    /// <summary>
    /// A small M-mode program: prints, reads misa, takes two timer interrupts in wfi, prints the
    /// last mcause, then powers off through the finisher with the code in <c>{CODE}</c>.
    /// </summary>
    private const string BoardProgram = """
            la      sp, stack_top
            la      a0, hello
            call    puts
            la      t0, trap
            csrw    mtvec, t0
            call    arm
            li      t0, 0x80
            csrs    mie, t0
            csrsi   mstatus, 8
        sleep:
            wfi
            la      t0, ticks
            lw      t0, 0(t0)
            li      t1, 2
            blt     t0, t1, sleep
            csrci   mstatus, 8
            csrr    a0, misa
            call    hex
            la      t0, cause
            lw      a0, 0(t0)
            call    hex
            li      t0, 0x100000
            li      t1, {CODE}
            sw      t1, 0(t0)
        halt:
            j       halt
            .balign 4
        trap:
            csrr    t0, mcause
            la      t1, cause
            sw      t0, 0(t1)
            la      t1, ticks
            lw      t0, 0(t1)
            addi    t0, t0, 1
            sw      t0, 0(t1)
            call    arm
            mret
        arm:
            li      t0, 0x0200BFF8
            lw      t1, 0(t0)
            addi    t1, t1, 2000            # ticks: longer than the handler takes in a VM, where each exit costs time
            li      t0, 0x02004000
            sw      zero, 4(t0)
            sw      t1, 0(t0)
            ret
        puts:
            li      t0, 0x10000000
        1:  lbu     t1, 0(a0)
            beqz    t1, 2f
            sb      t1, 0(t0)
            addi    a0, a0, 1
            j       1b
        2:  ret
        hex:                            # a0 as 8 hex digits and a newline
            li      t0, 0x10000000
            li      t2, 28
        3:  srl     t1, a0, t2
            andi    t1, t1, 15
            la      t3, digits
            add     t3, t3, t1
            lbu     t1, 0(t3)
            sb      t1, 0(t0)
            addi    t2, t2, -4
            bgez    t2, 3b
            li      t1, 10
            sb      t1, 0(t0)
            ret
            .data
        hello:  .asciz "hello\n"
        digits: .ascii "0123456789abcdef"
            .balign 4
        ticks:  .word 0
        cause:  .word 0
        stack:  .zero 64
        stack_top:
        """;

    private static string WithCode(uint finisherValue) => BoardProgram.Replace("{CODE}", $"0x{finisherValue:x}");

    private static VirtualMachine RunInVm(string program, out Host host)
    {
        host = new Host(SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "board", MemoryPages = 16 }, Assemble(program));
        for (int i = 0; i < 1000 && !vm.IsStopped; i++) host.RunFor(0.05);
        return vm;
    }

    [Fact]
    public void The_same_program_prints_the_same_on_the_bare_machine_and_in_a_vm_and_powers_off_both()
    {
        var image = Assemble(WithCode(TestFinisher.Pass));
        var bare = new VirtLab.Machine.Machine();
        Assert.Null(bare.Load(image));
        var result = bare.Run(maxInstructions: 1_000_000);
        Assert.True(result.Passed, result.Message);

        var vm = RunInVm(WithCode(TestFinisher.Pass), out _);
        Assert.Equal(0, ExitCode(vm));
        Assert.Equal("hello\n" + $"{Hart.MisaValue:x8}\n" + "80000007\n", bare.ConsoleOutput);
        Assert.Equal(bare.ConsoleOutput, vm.ConsoleOutput);
        // The guest executed the same instructions in both: the VM counts those the hypervisor emulated.
        Assert.Equal(bare.Harts[0].Instret, vm.Instructions);
        Assert.Equal(Privilege.User, vm.Vcpus[0].Hart.Privilege);
    }

    [Fact]
    public void A_finisher_store_is_an_mmio_exit_that_stops_the_vm_with_the_guests_code()
    {
        var vm = RunInVm(WithCode(TestFinisher.Fail | (3u << 16)), out var host);
        Assert.Equal(3, ExitCode(vm));
        Assert.Equal("guest shut down with code 3", vm.StopReason);
        Assert.Equal(0, vm.Memory.MappedPages);   // its frames went back to the host
        Assert.Equal(host.GuestAvailablePages, host.Frames.FreeFrames);
        var mmio = vm.Exits[VmExitReason.Mmio];
        Assert.True(mmio > 0);
    }

    [Fact]
    public void The_finishers_store_shows_in_the_trace_as_the_exit_that_stopped_the_vm()
    {
        var host = new Host(SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "board", MemoryPages = 16 }, Assemble(WithCode(TestFinisher.Pass)));
        vm.Trace.Start(capacity: 4, ExitTraceLimit.KeepLast);
        for (int i = 0; i < 1000 && !vm.IsStopped; i++) host.RunFor(0.05);
        var last = vm.Trace.Exits[^1];
        Assert.Equal(VmExitReason.Mmio, last.Exit.Reason);
        Assert.Equal("test-finisher", last.Exit.Device);
        Assert.Equal(TestFinisher.DefaultBase, last.Exit.Address);
        Assert.Equal("guest shut down with code 0", last.StopReason);
    }

    [Fact]
    public void Other_values_written_to_the_finisher_do_not_stop_the_vm()
    {
        var vm = RunAlone($"""
                li      t0, 0x100000
                li      t1, 0x1234
                sw      t1, 0(t0)               # not pass, fail or reset: ignored, as on the board
                li      a0, 5
            {Shutdown}
            """);
        Assert.Equal(5, ExitCode(vm));
        Assert.Equal(1, vm.Exits[VmExitReason.Mmio]);
    }
}
