namespace VirtLab.Memory;

/// <summary>
/// The host's free-memory state (ESX). Going down, a state is entered as soon as free memory falls
/// below its threshold; going up, a state is left only once free memory reaches the threshold of
/// the state above (hysteresis), so the host does not flap between reclaiming and not.
/// </summary>
public enum ReclamationState
{
    /// <summary>Enough free memory: no reclamation; balloons are slowly let down.</summary>
    High,
    /// <summary>Below the soft threshold: reclaim by ballooning (host swapping only for VMs without a driver).</summary>
    Soft,
    /// <summary>Below the hard threshold: reclaim by host swapping as well.</summary>
    Hard,
    /// <summary>Below the low threshold: swap, and the host is close to failing faults.</summary>
    Low,
}

/// <summary>
/// Free-memory thresholds as fractions of the RAM available to VMs. ESX defaults: high 6%, soft 4%,
/// hard 2%, low 1%. Entering: Soft below <see cref="Soft"/>, Hard below <see cref="Hard"/>, Low
/// below <see cref="Low"/>. Leaving upward: Low→Hard at <see cref="Hard"/>, Hard→Soft at
/// <see cref="Soft"/>, Soft→High at <see cref="High"/>.
/// </summary>
public sealed record ReclamationThresholds(double High = 0.06, double Soft = 0.04, double Hard = 0.02, double Low = 0.01)
{
    /// <summary>The next state given the current one and the free fraction, with hysteresis.</summary>
    public ReclamationState Next(ReclamationState current, double free)
    {
        // Down: at once, as far as needed.
        var raw = free < Low ? ReclamationState.Low : free < Hard ? ReclamationState.Hard : free < Soft ? ReclamationState.Soft : ReclamationState.High;
        if (raw > current) return raw;
        // Up: one state at a time, and only past the threshold of the state above.
        return current switch
        {
            ReclamationState.Low when free >= Hard => ReclamationState.Hard,
            ReclamationState.Hard when free >= Soft => ReclamationState.Soft,
            ReclamationState.Soft when free >= High => ReclamationState.High,
            _ => current,
        };
    }
}

/// <summary>What a reclamation policy sees of one VM and may change.</summary>
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
    /// <summary>The VM's memory (mapped, ballooned, swapped pages; swap-out).</summary>
    GuestMemory Memory { get; }
    /// <summary>The balloon device (set its <see cref="BalloonDevice.Target"/>).</summary>
    BalloonDevice Balloon { get; }
    /// <summary>True if the guest runs a balloon driver that answers.</summary>
    bool HasBalloonDriver { get; }
}

/// <summary>
/// A memory reclamation policy: called once per reclamation period with the host state and the
/// number of frames the host wants freed (0 in the high state). Implement it to try your own
/// balloon policy; <see cref="SharesReclamationPolicy"/> is the default.
/// </summary>
public interface IReclamationPolicy
{
    /// <summary>Decides balloon targets and swap-outs for this period.</summary>
    /// <param name="state">The host's free-memory state.</param>
    /// <param name="pagesWanted">Frames to free to get back to the high threshold (0 in the high state).</param>
    /// <param name="surplusPages">Frames free above the high threshold (to let balloons down in the high state).</param>
    /// <param name="vms">The running VMs.</param>
    /// <param name="random">The host's seeded random source (for random victims).</param>
    void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random);
}

/// <summary>
/// The default policy, after ESX: VMs with fewer shares per page they hold (S / P) give more, never
/// below their min. In the soft state it raises balloon targets, split in proportion to P / S; in the
/// hard and low states (or for VMs without a balloon driver, or with ballooning off) it swaps out
/// random pages of the VM with the lowest S / P. In the high state with free memory to spare, balloon targets are lowered
/// so that guests get their memory back. <see cref="UseBallooning"/> and <see cref="UseSwapping"/>
/// switch the two mechanisms on and off (the "ballooning" experiment compares the four combinations).
/// </summary>
public sealed class SharesReclamationPolicy : IReclamationPolicy
{
    /// <summary>Ask balloon drivers for memory.</summary>
    public bool UseBallooning { get; init; } = true;
    /// <summary>Page guest memory out to the host swap area.</summary>
    public bool UseSwapping { get; init; } = true;
    /// <summary>Most pages swapped out per period (the host's swap bandwidth).</summary>
    public int MaxSwapOutsPerPeriod { get; init; } = 64;
    /// <summary>
    /// Periods a balloon may lag behind its target without moving before the policy treats its
    /// driver as not answering (disabled, hung, still booting) and swaps that VM instead.
    /// </summary>
    public int UnresponsivePeriods { get; init; } = 20;

    private readonly Dictionary<GuestMemory, (int Ballooned, int Stuck)> _progress = new();

    /// <summary>True if the VM's balloon has lagged its target for <see cref="UnresponsivePeriods"/> periods without moving.</summary>
    public bool IsUnresponsive(IReclaimableVm v) => _progress.TryGetValue(v.Memory, out var p) && p.Stuck >= UnresponsivePeriods;

    private void Observe(IReclaimableVm v)
    {
        int ballooned = v.Memory.BalloonedPages;
        bool lagging = v.Balloon.Target > ballooned;
        var (last, stuck) = _progress.TryGetValue(v.Memory, out var p) ? p : (ballooned, 0);
        int now = lagging && ballooned == last ? stuck + 1 : 0;
        if (now == UnresponsivePeriods) UnresponsiveDetections++;
        _progress[v.Memory] = (ballooned, now);
    }

    /// <summary>How many times a VM's balloon driver was judged not answering.</summary>
    public int UnresponsiveDetections { get; private set; }

    public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
    {
        foreach (var v in vms) Observe(v);
        if (state == ReclamationState.High)
        {
            // Let balloons down, evenly, with what is free above the high threshold.
            var ballooned = vms.Where(v => v.Balloon.Target > 0).ToList();
            if (ballooned.Count == 0 || surplusPages <= 0) return;
            int each = Math.Max(1, surplusPages / ballooned.Count);
            foreach (var v in ballooned) v.Balloon.Target = (uint)Math.Max(0, (int)v.Balloon.Target - each);
            return;
        }
        // Ballooning: split the request over the VMs in proportion to pages held per share (P / S),
        // so a VM with fewer shares per page gives more. Each driver gives what its guest can spare;
        // an idle guest has touched pages on its free list, a busy one has none, so memory flows
        // from idle to busy VMs without the host guessing which pages are free.
        var balloonable = UseBallooning ? vms.Where(v => v.HasBalloonDriver && !IsUnresponsive(v) && v.Memory.MappedPages > v.MinPages).ToList() : [];
        double weightSum = balloonable.Sum(v => (double)v.Memory.MappedPages / v.Shares);
        foreach (var v in balloonable)
        {
            int share = (int)Math.Ceiling(pagesWanted * ((double)v.Memory.MappedPages / v.Shares) / weightSum);
            int outstanding = Math.Max(0, (int)v.Balloon.Target - v.Memory.BalloonedPages);   // the driver may still be catching up
            int add = Math.Max(0, share - outstanding);
            int floor = state == ReclamationState.Low ? 0 : v.MinPages;
            v.Balloon.Target = (uint)Math.Min(v.MaxPages - floor, (int)v.Balloon.Target + add);
        }
        // Host swapping: in the hard and low states, or for VMs the balloon cannot reach, random
        // pages of the VM with the fewest shares per page, never below its min (outside Low).
        if (!UseSwapping) return;
        int left = pagesWanted, swapBudget = MaxSwapOutsPerPeriod;
        foreach (var v in vms.OrderBy(v => (double)v.Shares / Math.Max(1, v.Memory.MappedPages + v.Memory.SwappedPages)))
        {
            if (left <= 0 || swapBudget <= 0) break;
            bool balloon = UseBallooning && v.HasBalloonDriver && !IsUnresponsive(v);
            if (balloon && state < ReclamationState.Hard) continue;
            int floor = state == ReclamationState.Low ? 0 : v.MinPages;
            int done = v.Memory.SwapOutRandom(Math.Min(left, swapBudget), random, floor);
            swapBudget -= done;
            left -= done;
        }
    }
}
