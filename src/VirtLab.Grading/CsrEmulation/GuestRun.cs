using VirtLab.Assembly;
using VirtLab.Hypervisor;
using VirtLab.Programs;

namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// Boots an <see cref="EmulationProblem"/>'s guest with a given instruction emulator and runs it
/// to its end: the same host, the same seed, so the same emulation decisions give the same run,
/// in the child and in the grader alike.
/// </summary>
internal static class GuestRun
{
    /// <summary>A small host: 10,000 cycles and 1,000 mtime ticks per simulated millisecond.</summary>
    private static HostConfig Host => new()
    {
        Cores = 2, ThreadsPerCore = 1, RamPages = 8192, CyclesPerMillisecond = 10_000, CyclesPerTimerTick = 10,
        ReclamationPolicy = null, Seed = 1,
    };

    /// <summary>How far the host runs between looks at whether the guest has stopped.</summary>
    private const double StepMilliseconds = 0.5;

    /// <summary>Runs the guest under <paramref name="emulator"/>; <paramref name="booted"/> sees the VM before it runs.</summary>
    public static GuestOutcome Run(EmulationProblem problem, IInstructionEmulator emulator, Action<VirtualMachine>? booted = null)
    {
        var host = new Host(Host);
        var vm = host.CreateVm(new VmConfig
        {
            Name = problem.Guest, Vcpus = problem.Vcpus, MemoryPages = 64, BalloonDriver = false, InstructionEmulator = emulator,
        }, Assemble(problem.Program));
        booted?.Invoke(vm);
        for (double t = 0; t < problem.Milliseconds && !vm.IsStopped; t += StepMilliseconds) host.RunFor(StepMilliseconds);
        return GuestOutcome.Of(vm);
    }

    private static ProgramImage Assemble(string source)
    {
        var result = Assembler.Assemble(source, "guest.s");
        return result.Program ?? throw new InvalidOperationException("the exercise's guest program does not assemble:\n" + result.DiagnosticsText());
    }
}
