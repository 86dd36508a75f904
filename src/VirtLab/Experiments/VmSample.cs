namespace VirtLab.Experiments;

/// <summary>
/// One VM at one sample of <see cref="ExperimentRunner"/>'s per-VM series. Times and counts of
/// events are cumulative since the start; page counts are the state at the sample, read from
/// <see cref="Memory.GuestMemory"/>'s own accounting: <c>mapped + ballooned + swapped + shared +
/// untouched = max</c> while the VM runs (a stopped VM has given everything back, so all its pages
/// are untouched). Times are simulated milliseconds.
/// </summary>
/// <param name="TimeMilliseconds">When the sample was taken.</param>
/// <param name="Vm">The VM's name.</param>
/// <param name="Instructions">Guest instructions retired by all its vCPUs.</param>
/// <param name="Progress">Operations its workload has reported done (the guest's own counter).</param>
/// <param name="RunMilliseconds">Time its vCPUs ran on a hardware thread, summed over vCPUs.</param>
/// <param name="ReadyMilliseconds">Time its vCPUs were runnable but waited for a hardware thread (CPU ready).</param>
/// <param name="CoStopMilliseconds">Time its vCPUs were held back by relaxed co-scheduling because they ran ahead of their siblings (co-stop).</param>
/// <param name="WaitMilliseconds">Time its vCPUs were idle (in WFI, asleep) or stopped.</param>
/// <param name="CsrExits">Exits for CSR accesses.</param>
/// <param name="PrivilegedExits">Exits for privileged instructions (mret and the like).</param>
/// <param name="WfiExits">Exits for wfi.</param>
/// <param name="MmioExits">Exits for device (MMIO) accesses.</param>
/// <param name="HypercallExits">Exits for hypercalls (ecall to the hypervisor).</param>
/// <param name="PageFaultExits">Exits for second-stage page faults (first touches, swap-ins).</param>
/// <param name="TimerExits">Exits for timer interrupts.</param>
/// <param name="GuestExceptionExits">Exits for exceptions reflected into the guest.</param>
/// <param name="ExitCycles">Cycles spent handling all exits.</param>
/// <param name="MappedPages">Guest pages with a host frame of their own.</param>
/// <param name="MaxPages">The VM's configured memory (pages).</param>
/// <param name="MinPages">The memory the host guarantees the VM (pages).</param>
/// <param name="BalloonedPages">Pages the balloon driver has given back to the host.</param>
/// <param name="SwappedPages">Pages in the host's swap area.</param>
/// <param name="SharedPages">Pages mapped to a frame shared with other pages (page sharing).</param>
/// <param name="UntouchedPages">Pages the guest has never touched (or got back zeroed).</param>
/// <param name="BalloonTarget">Pages the host asked the balloon driver for.</param>
/// <param name="SwapOuts">Pages the host swapped out.</param>
/// <param name="SwapIns">Pages swapped back in when the guest touched them.</param>
/// <param name="FaultStallMilliseconds">Time the vCPUs spent in second-stage page faults (the exit, frame allocation and swap-in reads).</param>
/// <param name="SwapStallMilliseconds">The swap-in part of <paramref name="FaultStallMilliseconds"/>.</param>
/// <param name="Stopped">Why the VM stopped, or empty while it runs.</param>
public sealed record VmSample(
    [property: Column("time_ms")] double TimeMilliseconds,
    [property: Column("vm")] string Vm,
    [property: Column("instructions")] ulong Instructions,
    [property: Column("progress")] ulong Progress,
    [property: Column("run_ms")] double RunMilliseconds,
    [property: Column("ready_ms")] double ReadyMilliseconds,
    [property: Column("costop_ms")] double CoStopMilliseconds,
    [property: Column("wait_ms")] double WaitMilliseconds,
    [property: Column("exits_csr")] long CsrExits,
    [property: Column("exits_priv")] long PrivilegedExits,
    [property: Column("exits_wfi")] long WfiExits,
    [property: Column("exits_mmio")] long MmioExits,
    [property: Column("exits_hypercall")] long HypercallExits,
    [property: Column("exits_page_fault")] long PageFaultExits,
    [property: Column("exits_timer")] long TimerExits,
    [property: Column("exits_guest_exception")] long GuestExceptionExits,
    [property: Column("exit_cycles")] ulong ExitCycles,
    [property: Column("mapped_pages")] int MappedPages,
    [property: Column("max_pages")] int MaxPages,
    [property: Column("min_pages")] int MinPages,
    [property: Column("ballooned_pages")] int BalloonedPages,
    [property: Column("swapped_pages")] int SwappedPages,
    [property: Column("shared_pages")] int SharedPages,
    [property: Column("untouched_pages")] int UntouchedPages,
    [property: Column("balloon_target")] long BalloonTarget,
    [property: Column("swap_outs")] long SwapOuts,
    [property: Column("swap_ins")] long SwapIns,
    [property: Column("fault_stall_ms")] double FaultStallMilliseconds,
    [property: Column("swap_stall_ms")] double SwapStallMilliseconds,
    [property: Column("stopped")] string Stopped);
