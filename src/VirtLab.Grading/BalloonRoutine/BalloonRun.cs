using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using VirtLab.Programs;

namespace VirtLab.Grading.BalloonRoutine;

/// <summary>
/// Runs a <see cref="BalloonProblem"/> on a guest kernel image (the student's build, or the
/// shipped one for the reference) and looks at the balloon after each stage. Everything runs in
/// the emulated guest: wild code in the routine can only hurt that guest.
/// </summary>
internal static class BalloonRun
{
    /// <summary>The moments the grader looks: after the inflate, after the hold, after the deflate.</summary>
    public sealed record Stages(BalloonSnapshot Inflated, BalloonSnapshot Held, BalloonSnapshot Deflated);

    /// <summary>Bytes of one page-allocator state slot of the kernel (next, end, free-list head, unused).</summary>
    private const uint PallocStateBytes = 16;

    public static Stages Run(BalloonProblem p, ProgramImage kernel)
    {
        var host = new Host(new HostConfig
        {
            Cores = 2, ThreadsPerCore = 1, RamPages = 8192, CyclesPerMillisecond = 100_000, CyclesPerTimerTick = 100,
            ReclamationPolicy = null, Seed = p.Seed,
        });
        var vm = host.CreateVm(new VmConfig
        {
            Name = "guest", Vcpus = p.Vcpus, MemoryPages = p.MemoryPages, TickMilliseconds = 1, BalloonDriver = true,
            Workload = Workload.Parse(p.Workload, out string? error) ?? throw new InvalidOperationException(error),
        }, kernel);
        host.RunFor(p.WarmupMilliseconds);
        vm.Balloon.Target = (uint)p.TargetPages;
        host.RunFor(p.InflateMilliseconds);
        var inflated = Look(host, vm, kernel);
        host.RunFor(p.HoldMilliseconds);
        var held = Look(host, vm, kernel);
        vm.Balloon.Target = 0;
        host.RunFor(p.DeflateMilliseconds);
        return new Stages(inflated, held, Look(host, vm, kernel));
    }

    /// <summary>
    /// How long a look may wait for the guest's books to agree with the host's. The kernel updates
    /// them a few instructions after the host (deflate-on-OOM lowers balloon_count, then rings the
    /// doorbell), so a look that lands in between waits a little; books that stay wrong are wrong.
    /// </summary>
    private const double SettleMilliseconds = 0.2, SettleStepMilliseconds = 0.01;

    private static BalloonSnapshot Look(Host host, VirtualMachine vm, ProgramImage kernel)
    {
        string? inconsistency = null;
        for (double waited = 0; !vm.IsStopped; waited += SettleStepMilliseconds)
        {
            inconsistency = Inconsistency(vm, kernel);
            if (inconsistency is null || waited >= SettleMilliseconds) break;
            host.RunFor(SettleStepMilliseconds);
        }
        return new(vm.StopReason, vm.Memory.BalloonedPages, vm.Balloon.ReportedActual, vm.Memory.RejectedTotal, vm.Memory.BalloonedPageTouches,
            vm.Progress, vm.IsStopped ? null : inconsistency);
    }

    /// <summary>
    /// Reads the guest kernel's books from outside (no exits, no faults): the pages its driver says
    /// it holds must be exactly the pages the host has ballooned, each once, and none of them may
    /// be on any vCPU's free list or in its not-yet-allocated region.
    /// </summary>
    private static string? Inconsistency(VirtualMachine vm, ProgramImage kernel)
    {
        uint Word(uint address) => vm.ReadGuestWord(address);
        uint Symbol(string name) => kernel.TryGetSymbol(name, out uint a) ? a : throw new InvalidOperationException($"the kernel has no symbol '{name}'");

        uint count = Word(Symbol("balloon_count"));
        if (count != vm.Memory.BalloonedPages)
            return $"the driver's balloon_count is {count}, but the host holds {vm.Memory.BalloonedPages} ballooned pages";
        if (count != vm.Balloon.ReportedActual)
            return $"the driver's balloon_count is {count}, but it reported ACTUAL = {vm.Balloon.ReportedActual} to the device";
        var held = new HashSet<uint>();
        uint pages = Symbol("balloon_pages");
        for (uint i = 0; i < count; i++)
        {
            uint number = Word(pages + 4 * i);
            if (!held.Add(number)) return $"page 0x{number:x} is in balloon_pages twice";
            long index = (long)number - GuestMemory.FirstPageNumber;
            if (index < 0 || index >= vm.Memory.Pages || vm.Memory.StateOf((int)index) != PageState.Ballooned)
                return $"balloon_pages[{i}] = 0x{number:x}, a page the host does not hold as ballooned";
        }
        uint state = Symbol("palloc_state");
        for (int hart = 0; hart < vm.Vcpus.Count; hart++)
        {
            uint slot = state + PallocStateBytes * (uint)hart;
            uint next = Word(slot), end = Word(slot + 4), page = Word(slot + 8);
            for (uint a = next & ~0xFFFu; a < end; a += 4096)
                if (held.Contains(a >> 12)) return $"page 0x{a >> 12:x} is ballooned and also in vCPU {hart}'s not-yet-allocated pages";
            for (int steps = 0; page != 0; steps++)
            {
                if (steps > vm.Memory.Pages) return $"vCPU {hart}'s free list loops";
                if (held.Contains(page >> 12)) return $"page 0x{page >> 12:x} is ballooned and also on vCPU {hart}'s free list";
                page = Word(page);
            }
        }
        return null;
    }
}
