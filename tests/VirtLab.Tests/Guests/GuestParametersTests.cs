using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Machine;

namespace VirtLab.Tests.Guests;

/// <summary>
/// The guest kernel's parameter block: a VM and the bare machine fill it through one method, so a
/// workload gets the same arguments with and without a hypervisor.
/// </summary>
public class GuestParametersTests
{
    private const double TickMilliseconds = 1;

    /// <summary>The default time scale: 100,000 cycles per simulated ms, mtime at 1 MHz.</summary>
    private static readonly HostConfig Timing = new() { Cores = 1 };

    /// <summary>Progress the workload makes in <paramref name="milliseconds"/> as the only VM on a host.</summary>
    private static ulong ProgressInVm(Workload workload, double milliseconds)
    {
        var host = new Host(Timing);
        var vm = host.CreateVm(new VmConfig { Name = "guest", Workload = workload, TickMilliseconds = TickMilliseconds, BalloonDriver = false });
        host.RunFor(milliseconds);
        Assert.False(vm.IsStopped, vm.StopReason);
        return vm.Progress;
    }

    private static double BareOpsPerSecond(Workload workload) => BareMachine.OpsPerSecond(workload, 60, 0, Timing, TickMilliseconds);

    // The baseline bug: the bare machine was given the workload kind, arg0 and arg1 only, so a
    // phases workload's start delay (arg2) and idle time (arg3) were 0 on the bare machine.

    [Fact]
    public void A_phases_workload_waits_out_its_start_delay_on_the_bare_machine_as_in_a_vm()
    {
        var delayed = Workload.Phases(pages: 8, ticks: 2, startDelayTicks: 1_000);   // 1 s of ticks: longer than either run
        Assert.Equal(0, BareOpsPerSecond(delayed));
        Assert.Equal(0ul, ProgressInVm(delayed, 60));

        var prompt = delayed with { Arg2 = 0 };   // the same without the delay: both make progress
        Assert.True(BareOpsPerSecond(prompt) > 0);
        Assert.True(ProgressInVm(prompt, 60) > 0);
    }

    [Fact]
    public void A_phases_workload_with_long_idle_phases_does_less_on_the_bare_machine_as_in_a_vm()
    {
        var shortIdle = Workload.Phases(pages: 8, ticks: 2, idleTicks: 1);
        var longIdle = Workload.Phases(pages: 8, ticks: 2, idleTicks: 20);
        double bareShort = BareOpsPerSecond(shortIdle), bareLong = BareOpsPerSecond(longIdle);
        ulong vmShort = ProgressInVm(shortIdle, 60), vmLong = ProgressInVm(longIdle, 60);
        // Busy 2 ticks out of 3 against 2 out of 22: several times less work, bare as in the VM.
        Assert.True(bareLong < bareShort / 3, $"bare machine: {bareLong:F0} ops/s with 20 idle ticks, {bareShort:F0} with 1");
        Assert.True(vmLong < vmShort / 3, $"VM: {vmLong} ops with 20 idle ticks, {vmShort} with 1");
    }

    [Fact]
    public void The_bare_machine_and_a_vm_hold_the_same_parameter_block_at_boot()
    {
        var workload = Workload.Phases(pages: 8, ticks: 2, startDelayTicks: 7, idleTicks: 3);
        var bare = BareMachine.Boot(workload, Timing, TickMilliseconds);
        var vm = new Host(Timing).CreateVm(new VmConfig { Name = "guest", Workload = workload, TickMilliseconds = TickMilliseconds, BalloonDriver = false });

        var expected = new GuestParameters
        {
            Workload = workload, RamBytes = 256 * 4096, TimerTicks = 1_000, Vcpus = 1, BalloonDriver = false,
        };
        foreach (var (symbol, value) in expected.Words)
        {
            uint address = GuestKernel.Symbol(symbol);
            Assert.True(bare.Bus.TryRead(address, 4, out uint onBare));
            Assert.True(value == onBare, $"{symbol} on the bare machine: {onBare}, expected {value}");
            Assert.True(value == vm.ReadGuestWord(address), $"{symbol} in the VM: {vm.ReadGuestWord(address)}, expected {value}");
        }
    }

    [Fact]
    public void Every_word_of_the_block_is_a_distinct_word_inside_params()
    {
        uint start = GuestKernel.Symbol("params");
        var addresses = new GuestParameters { Workload = Workload.Cpu(), RamBytes = 0 }.Words.Select(w => GuestKernel.Symbol(w.Symbol)).ToList();
        Assert.Equal(addresses.Count, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.True(a % 4 == 0 && a >= start && a < start + 4 * (uint)addresses.Count, $"0x{a:x8}"));
    }

    [Fact]
    public void A_program_without_a_parameter_block_is_left_alone()
    {
        var program = Hypervisor.GuestPrograms.Assemble("    j _start\n");
        var machine = new VirtLab.Machine.Machine(new MachineConfig { RamSize = 64 * 4096 });
        Assert.Null(machine.Load(program));
        byte[] Ram()
        {
            var bytes = new byte[64 * 4096];
            Assert.True(machine.Bus.TryReadBytes(MachineConfig.RamBase, bytes));
            return bytes;
        }
        var before = Ram();
        new GuestParameters { Workload = Workload.Cpu(), RamBytes = 64 * 4096 }.WriteTo(machine.Bus, program);
        Assert.Equal(before, Ram());
    }
}
