namespace VirtLab.Memory;

/// <summary>
/// What a memory policy (<see cref="IReclamationPolicy"/>, <see cref="ISharingScan"/>) sees of one
/// running VM, and the only levers it has: the balloon target, the allocation target, and host
/// swapping. The host hands these out and checks every change against the VM, so a policy cannot
/// take a VM's memory behind the host's back: a balloon or allocation target outside 0..max, a
/// negative swap count, or more pages than the VM can give (it keeps its min outside the low
/// state) stops the host with a <c>PolicyViolationException</c>. The levers work only inside
/// <see cref="IReclamationPolicy.Reclaim"/>, between scheduling steps, when no guest is executing.
/// </summary>
public interface IReclaimableVm
{
    /// <summary>The VM's name (for tables).</summary>
    string Name { get; }
    /// <summary>Configured size in pages: the VM's max.</summary>
    int MaxPages { get; }
    /// <summary>Guaranteed pages: reclamation never takes the VM below this outside the low state.</summary>
    int MinPages { get; }
    /// <summary>Memory shares.</summary>
    int Shares { get; }
    /// <summary>Guest pages with a host frame of their own behind them: the memory the VM holds.</summary>
    int MappedPages { get; }
    /// <summary>Guest pages mapped to a frame shared with other pages (not counted in <see cref="MappedPages"/>).</summary>
    int SharedPages { get; }
    /// <summary>Pages the guest's balloon driver has handed to the host so far.</summary>
    int BalloonedPages { get; }
    /// <summary>Pages whose contents are in the host swap area.</summary>
    int SwappedPages { get; }
    /// <summary>Where guest page <paramref name="page"/> (0 .. <see cref="MaxPages"/> - 1) is now.</summary>
    PageState StateOf(int page);
    /// <summary>True if the host swaps (it has a swap area); <see cref="SwapOut"/> moves nothing otherwise.</summary>
    bool CanSwap { get; }
    /// <summary>
    /// Guest instructions retired so far. A balloon that lags its target while the guest retires
    /// nothing (stalled on swap-ins, blocked, not scheduled) has not had the chance to answer.
    /// </summary>
    ulong Instructions { get; }
    /// <summary>True if the guest runs a balloon driver that answers.</summary>
    bool HasBalloonDriver { get; }
    /// <summary>The hypervisor's sampled estimate of the guest pages in active use (<see cref="ActiveMemoryEstimator"/>).</summary>
    int ActivePages { get; }
    /// <summary>The idle memory tax rate tau this VM pays (0 &lt;= tau &lt; 1).</summary>
    double IdleMemoryTax { get; }
    /// <summary>
    /// Frames the policy wants the VM to hold at most (its allocation target), 0 .. <see cref="MaxPages"/>.
    /// The policy sets it; the host blocks a VM above it while in the low state. <see cref="MaxPages"/> means "no limit".
    /// </summary>
    int TargetPages { get; set; }
    /// <summary>
    /// How many pages the balloon driver should hold, 0 .. <see cref="MaxPages"/>. The guest's driver
    /// reads it at its next poll (a timer tick) and inflates or deflates towards it, with pages the
    /// guest itself chooses; <see cref="BalloonedPages"/> shows how far it got.
    /// </summary>
    int BalloonTarget { get; set; }
    /// <summary>
    /// Host swapping: pages out <paramref name="pages"/> mapped pages chosen at random (as ESX does, so
    /// as not to fight the guest's own LRU), at most what the VM holds above its guarantee (its min,
    /// or 0 in the low state). Returns how many went, fewer if the swap area filled up.
    /// </summary>
    int SwapOut(int pages);
}
