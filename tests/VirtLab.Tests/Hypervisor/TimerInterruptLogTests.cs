using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Tests.Hypervisor;

public class TimerInterruptLogTests
{
    /// <summary>One core and VirtLab's default time scale (100,000 cycles per simulated ms, 0.05 ms steps), so exits cost what they do in the lessons.</summary>
    private static HostConfig OneCore(HypervisorKind kind) => new() { Cores = 1, RamPages = 8192, Kind = kind };

    /// <summary>A one-core Type 2 host with <paramref name="background"/>, a sleeping (io) guest with a 1 ms tick, run for 200 ms.</summary>
    private static VirtualMachine SleeperOnType2(IReadOnlyList<BackgroundProcess> background)
    {
        var host = new Host(OneCore(HypervisorKind.Type2) with { BackgroundProcesses = background });
        var vm = host.CreateVm(new VmConfig { Name = "sleeper", Workload = Workload.Io(workRounds: 50, sleepTicks: 1), TickMilliseconds = 1 });
        host.RunFor(200);
        return vm;
    }

    private static ulong Percentile99(VirtualMachine vm)
    {
        var sorted = vm.TimerInterruptLog.Select(t => t.LatencyCycles).Order().ToList();
        return sorted[(int)Math.Ceiling(0.99 * sorted.Count) - 1];
    }

    [Fact]
    public void The_log_has_one_record_per_injected_interrupt_and_agrees_with_the_totals()
    {
        var vm = SleeperOnType2(HostConfig.DefaultBackground);
        var log = vm.TimerInterruptLog;
        Assert.True(log.Count > 100, $"{log.Count} interrupts");
        Assert.Equal(vm.TimerInterrupts, log.Count);
        Assert.Equal(vm.TimerLatencyTotal, log.Aggregate(0UL, (sum, t) => sum + t.LatencyCycles));
        Assert.Equal(vm.TimerLatencyMax, log.Max(t => t.LatencyCycles));
        Assert.All(log, t => Assert.True(t.InjectedCycle >= t.DeadlineCycle && t.Vcpu == 0));
        // Oldest first, and each interrupt was due after the one before it had been injected (the guest re-arms its timer in the handler).
        for (int i = 1; i < log.Count; i++) Assert.True(log[i].DeadlineCycle > log[i - 1].InjectedCycle, $"record {i}");
        Assert.Equal(vm.Exits[VmExitReason.Timer], log.Count);
    }

    [Fact]
    public void Latency_is_converted_to_simulated_microseconds_with_the_hosts_time_scale()
    {
        var interrupt = new TimerInterrupt(0, DeadlineCycle: 1_000, InjectedCycle: 1_500);
        Assert.Equal(500UL, interrupt.LatencyCycles);
        Assert.Equal(5.0, interrupt.LatencyMicroseconds(cyclesPerMillisecond: 100_000));   // 100 cycles per µs
        Assert.Equal(0UL, new TimerInterrupt(0, 2_000, 2_000).LatencyCycles);
    }

    [Fact]
    public void A_cpu_bound_guest_alone_on_a_bare_metal_host_gets_every_interrupt_within_cycles_of_its_deadline()
    {
        var host = new Host(OneCore(HypervisorKind.Type1));
        var vm = host.CreateVm(new VmConfig { Name = "cpu", Workload = Workload.Cpu(), TickMilliseconds = 1 });
        host.RunFor(50);
        Assert.True(vm.TimerInterruptLog.Count > 40);
        // At its deadline: the running vCPU takes the interrupt at the next instruction boundary, a cycle or two later.
        Assert.All(vm.TimerInterruptLog, t => Assert.True(t.LatencyCycles <= 2, $"{t}"));
    }

    [Fact]
    public void Host_processes_competing_for_the_only_core_lengthen_the_tail()
    {
        ulong quiet = Percentile99(SleeperOnType2([]));
        ulong busy = Percentile99(SleeperOnType2(HostConfig.BusyBackground));
        // Without host processes the sleeper only waits for the next scheduling step (0.05 ms = 5,000 cycles).
        Assert.True(quiet <= 5_000, $"quiet p99 {quiet} cycles");
        // Behind bursts of several ms on the one core, the worst percent of interrupts come at least a millisecond late.
        Assert.True(busy >= 100_000, $"busy p99 {busy} cycles");
    }

    [Fact]
    public void The_log_keeps_the_first_interrupts_up_to_its_capacity_and_the_totals_keep_counting()
    {
        var host = new Host(OneCore(HypervisorKind.Type1));
        var vm = host.CreateVm(new VmConfig { Name = "log", Workload = Workload.Cpu() });
        for (int i = 0; i < VirtualMachine.TimerInterruptLogCapacity + 10; i++) vm.RecordTimerInterrupt(0, (ulong)i * 10, (ulong)i * 10 + 3);
        Assert.Equal(VirtualMachine.TimerInterruptLogCapacity, vm.TimerInterruptLog.Count);
        Assert.Equal(VirtualMachine.TimerInterruptLogCapacity + 10, vm.TimerInterrupts);
        Assert.Equal(0UL, vm.TimerInterruptLog[0].DeadlineCycle);
        Assert.Equal(3UL * (ulong)vm.TimerInterrupts, vm.TimerLatencyTotal);
    }
}
