using VirtLab.Assembly;
using VirtLab.Hypervisor;
using VirtLab.Programs;

namespace VirtLab.Tests.Hypervisor;

/// <summary>Small guest programs and hosts for the hypervisor tests.</summary>
internal static class GuestPrograms
{
    /// <summary>Ends the guest with exit code a0 through the shutdown hypercall.</summary>
    public const string Shutdown = """
            li      a6, 6
            li      a7, 0x564C4142
            ecall
        hang:
            j       hang
        """;

    /// <summary>
    /// Two harts: hart 1 enables software interrupts, says it is ready and sleeps in WFI. Hart 0
    /// waits for that, then sets msip[1] (at label <c>send</c>): an inter-processor interrupt. Hart
    /// 1's handler (label <c>handler</c>) checks mcause, clears its msip and shuts the VM down with
    /// code 42 (7 if mcause was wrong).
    /// </summary>
    public static readonly string InterProcessorInterrupt = $"""
            bnez    a0, hart1
            la      t0, ready
        wait_ready:
            lw      t1, 0(t0)
            beqz    t1, wait_ready
            li      t0, 0x02000004          # msip of hart 1
            li      t1, 1
        send:
            sw      t1, 0(t0)               # the IPI: an MMIO exit to the virtual CLINT
        spin0:
            j       spin0
        hart1:
            la      t0, handler
            csrw    mtvec, t0
            li      t0, 8                   # mie.MSIE
            csrs    mie, t0
            csrsi   mstatus, 8              # mstatus.MIE
            la      t0, ready
            li      t1, 1
            sw      t1, 0(t0)
        idle1:
            wfi
            j       idle1
            .balign 4
        handler:
            csrr    t0, mcause
            li      t1, 0x80000003          # machine software interrupt
            bne     t0, t1, wrong
            li      t0, 0x02000004
            sw      zero, 0(t0)             # acknowledge: clear our msip
            li      a0, 42
            j       out
        wrong:
            li      a0, 7
        out:
        {Shutdown}
            .data
        ready: .word 0
        """;

    public static ProgramImage Assemble(string body)
    {
        var result = Assembler.Assemble("    .text\n_start:\n" + body + "\n");
        Assert.True(result.Success, result.DiagnosticsText());
        return result.Program!;
    }

    /// <summary>A small, fast host: 10,000 cycles per simulated ms.</summary>
    public static HostConfig SmallHost(int cores = 1, int threadsPerCore = 1) => new()
    {
        Cores = cores, ThreadsPerCore = threadsPerCore, RamPages = 8192, CyclesPerMillisecond = 10_000, CyclesPerTimerTick = 10,
    };

    /// <summary>Boots <paramref name="body"/> alone on a host, runs it until it stops (or the time is up), returns the VM.</summary>
    public static VirtualMachine RunAlone(string body, double milliseconds = 20, HostConfig? config = null)
    {
        var host = new Host(config ?? SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "test", MemoryPages = 64 }, Assemble(body));
        for (int i = 0; i < 1000 && !vm.IsStopped; i++) host.RunFor(milliseconds / 1000);
        return vm;
    }

    /// <summary>The exit code the guest shut down with.</summary>
    public static int ExitCode(VirtualMachine vm)
    {
        Assert.True(vm.IsStopped, "the guest did not shut down");
        Assert.False(vm.Crashed, vm.StopReason);
        const string prefix = "guest shut down with code ";
        Assert.StartsWith(prefix, vm.StopReason);
        return int.Parse(vm.StopReason![prefix.Length..]);
    }
}
