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
    /// <summary>Operations the workload completes in <paramref name="milliseconds"/> of simulated time (after <paramref name="warmupMilliseconds"/>).</summary>
    public static double OpsPerSecond(Workload workload, double milliseconds, double warmupMilliseconds, HostConfig timing, double tickMilliseconds, int memoryPages = 256)
    {
        var machine = new Machine.Machine(new MachineConfig { RamSize = (uint)memoryPages * 4096, CyclesPerTick = timing.CyclesPerTimerTick });
        machine.Bus.Attach(VirtualBlockDevice.DefaultBase, new VirtualBlockDevice());
        var image = GuestKernel.Image;
        machine.Load(image);
        uint p = GuestKernel.Symbol("params");
        void Write(uint offset, uint value) => machine.Bus.TryWrite(p + offset, 4, value);
        Write(GuestKernel.ParamWorkload, (uint)workload.Kind);
        Write(GuestKernel.ParamArg0, workload.Arg0);
        Write(GuestKernel.ParamArg1, workload.Arg1);
        Write(GuestKernel.ParamRamSize, (uint)memoryPages * 4096);
        Write(GuestKernel.ParamTickInterval, (uint)Math.Round(tickMilliseconds * timing.CyclesPerMillisecond / timing.CyclesPerTimerTick));
        Write(GuestKernel.ParamVcpuCount, 1);
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
