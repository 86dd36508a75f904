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
