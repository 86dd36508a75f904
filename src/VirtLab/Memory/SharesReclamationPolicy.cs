namespace VirtLab.Memory;

/// <summary>
/// The default policy, after ESX: memory is taken from the VM with the fewest shares per page it
/// holds, counting idle pages dearer (the <i>idle memory tax</i>). A VM's shares-per-page ratio is
/// <code>rho = S / (P * (f + k * (1 - f))),   k = 1 / (1 - tau)</code>
/// with S its shares, P the frames it holds, f the fraction of them in active use (the sampled
/// estimate, <see cref="IReclaimableVm.ActivePages"/> / P, at most 1) and tau its tax rate. With
/// tau = 0, k = 1 and rho = S / P: pure proportional shares. With tau = 0.75, k = 4: an idle page
/// costs as much as four active ones, so an idle VM's rho is low and it gives first.
/// <para>
/// When the host must free pages, they are taken one at a time from the VM with the lowest rho,
/// recomputed as its P shrinks (min-funding revocation), never below a VM's min outside the low
/// state. That decides each VM's share of the request and its allocation target
/// (<see cref="IReclaimableVm.TargetPages"/>). In the soft state each VM's share goes to its balloon
/// target; in the hard and low states (or for VMs without an answering balloon driver, or with
/// ballooning off) random pages are also swapped out, lowest rho first, and in the low state the
/// host blocks VMs above their target. Without host swapping targets cannot be enforced, so the
/// request is instead split over every balloon in proportion to 1 / rho. In the high state, free
/// memory above the high threshold lets balloons down, evenly. <see cref="UseBallooning"/> and
/// <see cref="UseSwapping"/> switch the two mechanisms on and off (the "ballooning" experiment
/// compares the four combinations).
/// </para>
/// </summary>
public sealed class SharesReclamationPolicy : IReclamationPolicy
{
    /// <summary>"shares".</summary>
    public string Name => "shares";

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
    /// <summary>
    /// In the hard state, periods a VM's balloon may stand still short of its target before the
    /// policy swaps that VM. Balloon drivers answer at their next poll (a guest timer tick), so a
    /// sudden drop in free memory (a guest touching new memory) first gets a few periods for the
    /// balloons to deliver; swapping a VM whose balloon is still on its way would take pages the
    /// guest is using, and each costs a swap-in later. In the low state there is no grace.
    /// </summary>
    public int HardStateGracePeriods { get; init; } = 3;

    // Per VM: the balloon size and instructions at the last period, and for how many periods in
    // which its guest ran the balloon has lagged its target without growing (Stalled) and without
    // moving at all (Frozen).
    private readonly Dictionary<IReclaimableVm, (int Ballooned, ulong Instructions, int Stalled, int Frozen)> _progress = new();

    /// <summary>
    /// The shares-per-page ratio rho = S / (P * (f + k * (1 - f))), k = 1 / (1 - tau), of a VM with
    /// <paramref name="shares"/> shares holding <paramref name="pages"/> frames of which the fraction
    /// <paramref name="activeFraction"/> is in use. Infinite for a VM that holds nothing.
    /// </summary>
    public static double SharesPerPage(int shares, int pages, double activeFraction, double tau)
    {
        if (pages <= 0) return double.PositiveInfinity;
        double f = Math.Clamp(activeFraction, 0, 1);
        double k = 1 / (1 - tau);
        return shares / (pages * (f + k * (1 - f)));
    }

    /// <summary>rho of <paramref name="v"/> if it held <paramref name="pages"/> frames (its active pages stay what was sampled).</summary>
    public static double SharesPerPage(IReclaimableVm v, int pages) =>
        SharesPerPage(v.Shares, pages, pages <= 0 ? 1 : (double)v.ActivePages / pages, v.IdleMemoryTax);

    /// <summary>True if the VM's balloon has lagged its target without moving for <see cref="UnresponsivePeriods"/> periods in which its guest ran.</summary>
    public bool IsUnresponsive(IReclaimableVm v) => _progress.TryGetValue(v, out var p) && p.Frozen >= UnresponsivePeriods;

    /// <summary>
    /// True if the VM's balloon has not grown towards its target for <see cref="HardStateGracePeriods"/>
    /// periods in which its guest ran: standing still, or shrinking because the guest takes pages
    /// back (deflate-on-OOM). Either way the guest has no free pages left to give.
    /// </summary>
    private bool BalloonStalled(IReclaimableVm v) => _progress.TryGetValue(v, out var p) && p.Stalled >= HardStateGracePeriods;

    // A period counts against a balloon only if it lagged although its guest ran: a guest that
    // retired nothing (waiting for swap-ins, blocked in the low state) could not answer. A balloon
    // that shrinks while it lags has stalled (its guest takes pages back on OOM: it has no free
    // ones) but its driver is alive; only one that does not move at all may be a driver that no
    // longer answers.
    private void Observe(IReclaimableVm v)
    {
        int ballooned = v.BalloonedPages;
        ulong ran = v.Instructions;
        bool lagging = v.BalloonTarget > ballooned;
        var (last, lastRan, stalled, frozen) = _progress.TryGetValue(v, out var p) ? p : (ballooned, ran, 0, 0);
        bool counts = lagging && ran != lastRan;
        int nowStalled = !lagging || ballooned > last ? 0 : counts ? stalled + 1 : stalled;
        int nowFrozen = !lagging || ballooned != last ? 0 : counts ? frozen + 1 : frozen;
        if (nowFrozen == UnresponsivePeriods && frozen != nowFrozen) UnresponsiveDetections++;
        _progress[v] = (ballooned, ran, nowStalled, nowFrozen);
    }

    /// <summary>How many times a VM's balloon driver was judged not answering.</summary>
    public int UnresponsiveDetections { get; private set; }

    /// <summary>On-demand swapping takes its page from the VM with the lowest rho.</summary>
    public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random) =>
        candidates.MinBy(v => SharesPerPage(v, v.MappedPages))!;

    /// <summary>
    /// Min-funding revocation: <paramref name="pages"/> frames are taken one at a time from the VM
    /// whose rho is lowest at what it would still hold, never below <paramref name="floors"/>.
    /// Returns how many each VM gives (fewer in total if every VM is at its floor).
    /// </summary>
    public static int[] Revoke(IReadOnlyList<IReclaimableVm> vms, int pages, IReadOnlyList<int> floors)
    {
        var take = new int[vms.Count];
        for (int n = 0; n < pages; n++)
        {
            int victim = -1;
            double lowest = double.PositiveInfinity;
            for (int i = 0; i < vms.Count; i++)
            {
                int held = vms[i].MappedPages - take[i];
                if (held <= floors[i]) continue;
                double rho = SharesPerPage(vms[i], held);
                if (rho < lowest) { lowest = rho; victim = i; }
            }
            if (victim < 0) break;
            take[victim]++;
        }
        return take;
    }

    /// <inheritdoc/>
    public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
    {
        foreach (var v in vms) Observe(v);
        if (state == ReclamationState.High)
        {
            foreach (var v in vms) v.TargetPages = v.MaxPages;
            LetBalloonsDown(surplusPages, vms);
            return;
        }
        var floors = vms.Select(v => state == ReclamationState.Low ? 0 : v.MinPages).ToList();
        var take = Revoke(vms, pagesWanted, floors);
        if (UseBallooning && state == ReclamationState.Hard) take = ShiftFromStalledBalloons(vms, pagesWanted, floors, take);
        // Allocation targets: what each VM should hold after giving its share. With host swapping
        // the policy can enforce them: a VM whose balloon cannot give its share (its guest has no
        // free pages) is swapped in the hard state and blocked in the low state, and the other VMs
        // keep what their shares entitle them to. Without host swapping nothing can enforce them
        // (a blocked VM's driver cannot even run), so the policy sets none and asks every driver.
        bool enforce = UseSwapping && vms.Any(v => v.CanSwap);
        for (int i = 0; i < vms.Count; i++) vms[i].TargetPages = enforce ? vms[i].MappedPages - take[i] : vms[i].MaxPages;

        if (UseBallooning)
        {
            var balloonable = Enumerable.Range(0, vms.Count)
                .Where(i => vms[i].HasBalloonDriver && !IsUnresponsive(vms[i]) && vms[i].MappedPages > floors[i]).ToList();
            // Enforcing: each VM is asked for its own share. Not enforcing: the request is split over
            // every driver in proportion to 1 / rho (with tau = 0 that is P / S), since only the
            // guests know which of them have pages free.
            double weightSum = balloonable.Sum(i => 1 / SharesPerPage(vms[i], vms[i].MappedPages));
            foreach (int i in balloonable)
            {
                var v = vms[i];
                int share = enforce ? take[i] : (int)Math.Ceiling(pagesWanted / SharesPerPage(v, v.MappedPages) / weightSum);
                int outstanding = Math.Max(0, v.BalloonTarget - v.BalloonedPages);   // the driver may still be catching up
                int add = Math.Max(0, share - outstanding);
                v.BalloonTarget = Math.Min(v.MaxPages - floors[i], v.BalloonTarget + add);
            }
        }
        // Host swapping: in the low state, in the hard state for VMs whose balloon has stalled, or for
        // VMs the balloon cannot reach; random pages of each VM's share, lowest rho first, within
        // the swap bandwidth.
        if (!UseSwapping) return;
        int swapBudget = MaxSwapOutsPerPeriod;
        foreach (int i in Enumerable.Range(0, vms.Count).OrderBy(i => SharesPerPage(vms[i], vms[i].MappedPages)))
        {
            if (swapBudget <= 0) break;
            var v = vms[i];
            bool balloon = UseBallooning && v.HasBalloonDriver && !IsUnresponsive(v);
            // A VM whose balloon can still deliver is not swapped in the soft state, nor in the hard
            // state until its balloon has stalled (see HardStateGracePeriods).
            if (take[i] == 0 || (balloon && (state < ReclamationState.Hard || (state == ReclamationState.Hard && !BalloonStalled(v))))) continue;
            swapBudget -= v.SwapOut(Math.Min(take[i], swapBudget));   // the host keeps floors[i]: min, or 0 in the low state
        }
    }

    /// <summary>
    /// Balloon feedback, in the hard state. A balloon that stands still short of its target tells
    /// the host that its guest has no free pages left: the guest is using its memory, whatever the
    /// sampled estimate says. A balloon that reaches its target tells it the opposite. The
    /// active-memory estimate samples every period and averages over several, so demand that
    /// changes within a few periods (a guest that starts a busy phase while another ends one)
    /// reaches it late; the balloons answer within a tick. With the idle memory tax on (tau &gt; 0:
    /// idle memory pays first), the share of a VM whose balloon has stalled is therefore asked
    /// first of the VMs whose balloons still answer, and the stalled VM is swapped only for what
    /// they cannot give. With tau = 0 (pure shares) a VM's entitlement is kept, and it is swapped.
    /// </summary>
    private int[] ShiftFromStalledBalloons(IReadOnlyList<IReclaimableVm> vms, int pagesWanted, IReadOnlyList<int> floors, int[] take)
    {
        bool Stalled(int i) => take[i] > 0 && vms[i].IdleMemoryTax > 0 && vms[i].HasBalloonDriver && !IsUnresponsive(vms[i]) && BalloonStalled(vms[i]);
        var stalled = Enumerable.Range(0, vms.Count).Where(Stalled).ToHashSet();
        if (stalled.Count == 0 || stalled.Count == vms.Count) return take;
        // First from everyone else, as if the stalled VMs were at their floor; then whatever is
        // left from the stalled VMs, by the same min-funding order.
        var othersFirst = Revoke(vms, pagesWanted, Enumerable.Range(0, vms.Count).Select(i => stalled.Contains(i) ? int.MaxValue : floors[i]).ToList());
        int left = pagesWanted - othersFirst.Sum();
        if (left <= 0) return othersFirst;
        // Only the stalled VMs give in this round: Revoke counts from what each VM holds now, so a
        // floor below that would let it take the others' pages a second time.
        var rest = Revoke(vms, left, Enumerable.Range(0, vms.Count).Select(i => stalled.Contains(i) ? floors[i] : int.MaxValue).ToList());
        return othersFirst.Zip(rest, (a, b) => a + b).ToArray();
    }

    // With free memory above the high threshold, let balloons down evenly. (Not by rho: a VM that
    // looks idle may be about to wake up, and its deflate-on-OOM can only take pages back one
    // fault at a time, so every balloon gets its part of the surplus.)
    private static void LetBalloonsDown(int surplusPages, IReadOnlyList<IReclaimableVm> vms)
    {
        var ballooned = vms.Where(v => v.BalloonTarget > 0).ToList();
        if (ballooned.Count == 0 || surplusPages <= 0) return;
        int each = Math.Max(1, surplusPages / ballooned.Count);
        foreach (var v in ballooned) v.BalloonTarget = Math.Max(0, v.BalloonTarget - each);
    }
}
