using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Machine;

namespace VirtLab.Experiments;

/// <summary>
/// Runs the guest kernel natively, in M-mode on the emulated machine with no hypervisor: the
/// baseline that virtualized runs are compared with. The kernel is written for a bare RISC-V board,
/// so it runs unchanged; the block device is attached at the same address as in a VM.
/// </summary>
public static class BareMachine
{
    /// <summary>
    /// A machine with <paramref name="memoryPages"/> pages of RAM and the guest kernel loaded, its
    /// parameter block filled in for <paramref name="workload"/> by the same method a VM uses
    /// (<see cref="GuestParameters.WriteTo"/>): one hart, a timer tick of
    /// <paramref name="tickMilliseconds"/>, and no balloon driver (the bare machine has no balloon device).
    /// Nothing has run yet.
    /// </summary>
    public static Machine.Machine Boot(Workload workload, HostConfig timing, double tickMilliseconds, int memoryPages = 256)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(timing);
        var machine = new Machine.Machine(new MachineConfig { RamSize = (uint)memoryPages * PhysicalMemory.PageSize, CyclesPerTick = timing.CyclesPerTimerTick });
        machine.Bus.Attach(VirtualBlockDevice.DefaultBase, new VirtualBlockDevice());
        var kernel = GuestKernel.Image;
        if (machine.Load(kernel) is string problem) throw new ConfigurationException("memory-pages", $"the guest kernel does not fit in {memoryPages} pages: {problem}");
        new GuestParameters
        {
            Workload = workload,
            RamBytes = (uint)memoryPages * PhysicalMemory.PageSize,
            TimerTicks = GuestParameters.TimerInterval(tickMilliseconds, timing.CyclesPerMillisecond, timing.CyclesPerTimerTick),
            Vcpus = 1,
            BalloonDriver = false,
        }.WriteTo(machine.Bus, kernel);
        return machine;
    }

    /// <summary>Operations the workload completes in <paramref name="milliseconds"/> of simulated time (after <paramref name="warmupMilliseconds"/>).</summary>
    public static double OpsPerSecond(Workload workload, double milliseconds, double warmupMilliseconds, HostConfig timing, double tickMilliseconds, int memoryPages = 256)
    {
        var machine = Boot(workload, timing, tickMilliseconds, memoryPages);
        var hart = machine.Harts[0];
        uint progress = GuestKernel.Symbol("progress");
        ulong RunUntil(double ms)
        {
            ulong target = (ulong)(ms * timing.CyclesPerMillisecond);
            while (hart.Cycle < target && !machine.HasEnded)
            {
                // Small budgets: when the hart sleeps in WFI the machine jumps to the next timer deadline, so one call can cover a whole tick.
                var r = machine.Run((long)Math.Min(2_000, Math.Max(1, target - hart.Cycle)));
                if (r.Reason == ExitReason.Deadlocked) break;
            }
            machine.Bus.TryRead(progress, 4, out uint done);
            return done;
        }
        ulong start = RunUntil(warmupMilliseconds);
        ulong end = RunUntil(milliseconds);
        return (end - start) / ((milliseconds - warmupMilliseconds) / 1000.0);
    }
}
