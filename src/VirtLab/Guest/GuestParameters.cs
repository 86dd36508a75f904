using VirtLab.Machine;
using VirtLab.Programs;

namespace VirtLab.Guest;

/// <summary>
/// What the guest kernel is told at boot: the words of its parameter block (<c>params</c> in
/// <c>GuestKernel.s</c>), which the kernel reads before its first timer tick. A VM and the bare
/// machine fill the block through the same method, <see cref="WriteTo"/>, so a workload runs with
/// the same arguments with or without a hypervisor.
/// </summary>
/// <remarks>
/// The block's layout is written once, in the kernel source: every word has a label
/// (<c>param_workload</c>, <c>param_arg0</c>, ...), and <see cref="WriteTo"/> finds each one in the
/// assembled image's symbol table. Moving or adding a word in the kernel needs no offset changed here.
/// Real firmware hands a kernel its boot information the same way, as a table in memory at an
/// address the kernel knows (a device tree, or multiboot's information structure).
/// </remarks>
public sealed record GuestParameters
{
    /// <summary>The workload the kernel runs, with all four of its arguments.</summary>
    public required Workload Workload { get; init; }

    /// <summary>Size of the guest's RAM in bytes (starting at 0x80000000). The kernel's page allocator divides what lies above its image among the harts.</summary>
    public required uint RamBytes { get; init; }

    /// <summary>
    /// Time between the kernel's timer interrupts, in ticks of <c>mtime</c> (see <see cref="TimerInterval"/>);
    /// 0 turns the timer off, and with it every workload that sleeps or counts ticks.
    /// </summary>
    public uint TimerTicks { get; init; }

    /// <summary>Number of harts (vCPUs) that boot the kernel; 1 to <see cref="GuestKernel.MaxHarts"/>.</summary>
    public int Vcpus { get; init; } = 1;

    /// <summary>True to run the balloon driver from hart 0's timer tick. Only where a balloon device answers at 0x10002000.</summary>
    public bool BalloonDriver { get; init; }

    /// <summary>
    /// The kernel's symbols for the block's words and the value each one gets. The order is the
    /// block's, but nothing depends on it: each word is found by its symbol.
    /// </summary>
    public IReadOnlyList<(string Symbol, uint Value)> Words =>
    [
        ("param_workload", (uint)Workload.Kind),
        ("param_arg0", Workload.Arg0),
        ("param_arg1", Workload.Arg1),
        ("param_arg2", Workload.Arg2),
        ("param_arg3", Workload.Arg3),
        ("param_ram_size", RamBytes),
        ("param_tick", TimerTicks),
        ("param_vcpus", (uint)Vcpus),
        ("param_balloon", BalloonDriver ? 1u : 0u),
    ];

    /// <summary>
    /// The <c>mtime</c> ticks in a timer period of <paramref name="tickMilliseconds"/> simulated ms, on a
    /// machine that runs <paramref name="cyclesPerMillisecond"/> cycles per ms and advances <c>mtime</c>
    /// once every <paramref name="cyclesPerTimerTick"/> cycles (rounded to the nearest tick).
    /// </summary>
    public static uint TimerInterval(double tickMilliseconds, ulong cyclesPerMillisecond, ulong cyclesPerTimerTick) =>
        (uint)Math.Round(tickMilliseconds * ((double)cyclesPerMillisecond / cyclesPerTimerTick));

    /// <summary>
    /// Writes the block into <paramref name="memory"/> (a VM's guest-physical memory, or the bare
    /// machine's bus) at the addresses <paramref name="kernel"/>'s symbols give. Call it after the
    /// image is loaded and before the first instruction runs. A program that is not VirtLab's guest
    /// kernel has no such symbols, and nothing is written for it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The kernel declares the block but a word of it does not lie in <paramref name="memory"/>'s RAM.</exception>
    public void WriteTo(AddressSpace memory, ProgramImage kernel)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(kernel);
        foreach (var (symbol, value) in Words)
        {
            if (!kernel.TryGetSymbol(symbol, out uint address)) continue;
            if (!memory.TryWrite(address, 4, value))
                throw new InvalidOperationException($"the guest kernel's parameter word '{symbol}' at 0x{address:x8} is not in its memory");
        }
    }
}
