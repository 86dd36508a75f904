using VirtLab.Memory;

/// <summary>
/// Exercise 3: a reclamation policy. Read README.md first. The host calls <see cref="Reclaim"/> once
/// per reclamation period and <see cref="ChooseVictim"/> when a guest fault finds no free frame (see
/// <see cref="IReclamationPolicy"/> for the rules); <c>virtlab grade</c> makes one of these per run
/// with <c>new ServiceLevelPolicy()</c>.
/// </summary>
public sealed class ServiceLevelPolicy : IReclamationPolicy
{
    // BEGIN SOLUTION MEMBERS
    /// <summary>Most pages swapped out per period: the built-in's swap bandwidth, so the comparison is fair.</summary>
    private const int MaxSwapOutsPerPeriod = 64;
    /// <summary>Periods a balloon may stand still short of its target (while its guest runs) before the VM is swapped instead: a driver answers at its next timer tick.</summary>
    private const int GracePeriods = 3;

    /// <summary>Per VM: its balloon at the last period, its guest's instructions then, and for how many periods it has lagged without growing.</summary>
    private readonly Dictionary<IReclaimableVm, (int Ballooned, ulong Instructions, int Stalled)> _seen = new();

    /// <summary>Pages a VM holds beyond what its guest is using (the sampled estimate): what a balloon can take without hurting.</summary>
    private static int Idle(IReclaimableVm v) => Math.Max(0, v.MappedPages - v.ActivePages);

    private void Observe(IReclaimableVm v)
    {
        var (last, ran, stalled) = _seen.TryGetValue(v, out var s) ? s : (v.BalloonedPages, v.Instructions, 0);
        bool lagging = v.BalloonTarget > v.BalloonedPages;
        int now = !lagging || v.BalloonedPages > last ? 0 : v.Instructions != ran ? stalled + 1 : stalled;
        _seen[v] = (v.BalloonedPages, v.Instructions, now);
    }

    private bool Stalled(IReclaimableVm v) => !v.HasBalloonDriver || (_seen.TryGetValue(v, out var s) && s.Stalled >= GracePeriods);

    /// <summary>
    /// Splits <paramref name="pages"/> over the VMs in proportion to their idle pages per share (a VM that
    /// paid more gives less of what it does not use); if none has idle pages, in proportion to what they hold above their floor.
    /// </summary>
    private static int[] Split(IReadOnlyList<IReclaimableVm> vms, int pages, int[] floors)
    {
        double[] weight = [.. vms.Select((v, i) => v.MappedPages > floors[i] ? (double)Idle(v) / v.Shares : 0)];
        if (weight.Sum() <= 0) weight = [.. vms.Select((v, i) => (double)Math.Max(0, v.MappedPages - floors[i]) / v.Shares)];
        double sum = weight.Sum();
        return [.. vms.Select((v, i) => sum <= 0 ? 0 : Math.Min(v.MappedPages - floors[i], (int)Math.Ceiling(pages * weight[i] / sum)))];
    }
    // END SOLUTION

    /// <summary>"service-level".</summary>
    public string Name => "service-level";

    /// <inheritdoc/>
    public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
    {
        // BEGIN SOLUTION
        foreach (var v in vms) Observe(v);
        if (state == ReclamationState.High)
        {
            // Let balloons down evenly: a guest that looks idle may be about to need its memory again.
            var ballooned = vms.Where(v => v.BalloonTarget > 0).ToList();
            foreach (var v in vms) v.TargetPages = v.MaxPages;
            if (ballooned.Count == 0 || surplusPages <= 0) return;
            int each = Math.Max(1, surplusPages / ballooned.Count);
            foreach (var v in ballooned) v.BalloonTarget = Math.Max(0, v.BalloonTarget - each);
            return;
        }
        int[] floors = [.. vms.Select(v => state == ReclamationState.Low ? 0 : v.MinPages)];
        int[] take = Split(vms, pagesWanted, floors);
        int swapBudget = MaxSwapOutsPerPeriod;
        for (int i = 0; i < vms.Count; i++)
        {
            var v = vms[i];
            v.TargetPages = Math.Max(floors[i], v.MappedPages - take[i]);
            if (take[i] == 0) continue;
            if (v.HasBalloonDriver)
            {
                // Ask the balloon for its share on top of what it is still delivering.
                int outstanding = Math.Max(0, v.BalloonTarget - v.BalloonedPages);
                v.BalloonTarget = Math.Min(v.MaxPages - floors[i], v.BalloonTarget + Math.Max(0, take[i] - outstanding));
            }
            // Swap only what a balloon cannot deliver: in the hard state once it has stalled, in the low state at once.
            bool swap = v.CanSwap && (state == ReclamationState.Low || (state == ReclamationState.Hard && Stalled(v)));
            if (swap && swapBudget > 0) swapBudget -= v.SwapOut(Math.Min(take[i], swapBudget));
        }
        // END SOLUTION
    }

    /// <summary>A guest fault found no free frame: which VM gives one page now?</summary>
    public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random)
    {
        // BEGIN SOLUTION
        // The one with the most idle memory per share: its page is the least likely to be touched again soon.
        return candidates.MaxBy(v => (double)Idle(v) / v.Shares)!;
        // END SOLUTION
    }
}
