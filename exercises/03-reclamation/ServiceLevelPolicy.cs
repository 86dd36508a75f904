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

    private void Observe(IReclaimableVm v)
    {
        var (last, ran, stalled) = _seen.TryGetValue(v, out var s) ? s : (v.BalloonedPages, v.Instructions, 0);
        bool lagging = v.BalloonTarget > v.BalloonedPages;
        int now = !lagging || v.BalloonedPages > last ? 0 : v.Instructions != ran ? stalled + 1 : stalled;
        _seen[v] = (v.BalloonedPages, v.Instructions, now);
    }

    private bool Stalled(IReclaimableVm v) => !v.HasBalloonDriver || (_seen.TryGetValue(v, out var s) && s.Stalled >= GracePeriods);

    /// <summary>
    /// Who gives how much: min-funding revocation (the given <see cref="SharesReclamationPolicy.Revoke"/>),
    /// pages taken one at a time from the VM with the fewest shares per page it holds, idle pages
    /// counted dearer. A VM that paid more, or uses what it holds, gives last.
    /// </summary>
    private static int[] Split(IReadOnlyList<IReclaimableVm> vms, int pages, IReadOnlyList<int> floors) => SharesReclamationPolicy.Revoke(vms, pages, floors);

    /// <summary>
    /// A balloon that stands still short of its target says its guest has no free pages: it is busy,
    /// whatever the lagging active-memory estimate says, and swapping it would cost swap-ins soon. So
    /// its share is asked first of the VMs whose balloons still answer; it gives only what they cannot.
    /// </summary>
    private int[] AskAnsweringBalloonsFirst(IReadOnlyList<IReclaimableVm> vms, int pages, int[] floors, int[] take)
    {
        var busy = Enumerable.Range(0, vms.Count).Where(i => take[i] > 0 && vms[i].HasBalloonDriver && Stalled(vms[i])).ToHashSet();
        if (busy.Count == 0 || busy.Count == vms.Count) return take;
        var first = Split(vms, pages, [.. Enumerable.Range(0, vms.Count).Select(i => busy.Contains(i) ? int.MaxValue : floors[i])]);
        int left = pages - first.Sum();
        if (left <= 0) return first;
        var rest = Split(vms, left, [.. Enumerable.Range(0, vms.Count).Select(i => busy.Contains(i) ? floors[i] : vms[i].MappedPages - first[i])]);
        return [.. first.Zip(rest, (a, b) => a + b)];
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
        if (state == ReclamationState.Hard) take = AskAnsweringBalloonsFirst(vms, pagesWanted, floors, take);
        for (int i = 0; i < vms.Count; i++)
        {
            var v = vms[i];
            v.TargetPages = Math.Max(floors[i], v.MappedPages - take[i]);
            if (take[i] == 0 || !v.HasBalloonDriver) continue;
            // Ask the balloon for its share on top of what it is still delivering.
            int outstanding = Math.Max(0, v.BalloonTarget - v.BalloonedPages);
            v.BalloonTarget = Math.Min(v.MaxPages - floors[i], v.BalloonTarget + Math.Max(0, take[i] - outstanding));
        }
        // Swap only what a balloon cannot deliver: in the hard state once it has stalled, in the low
        // state at once; the VM with the fewest shares per page first, within the swap bandwidth.
        int swapBudget = MaxSwapOutsPerPeriod;
        foreach (int i in Enumerable.Range(0, vms.Count).OrderBy(i => SharesReclamationPolicy.SharesPerPage(vms[i], vms[i].MappedPages)))
        {
            var v = vms[i];
            bool swap = take[i] > 0 && v.CanSwap && (state == ReclamationState.Low || (state == ReclamationState.Hard && Stalled(v)));
            if (swap && swapBudget > 0) swapBudget -= v.SwapOut(Math.Min(take[i], swapBudget));
        }
        // END SOLUTION
    }

    /// <summary>A guest fault found no free frame: which VM gives one page now?</summary>
    public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random)
    {
        // BEGIN SOLUTION
        // The one with the fewest shares per page it holds (idle pages dearer): the same order as Reclaim's.
        return candidates.MinBy(v => SharesReclamationPolicy.SharesPerPage(v, v.MappedPages))!;
        // END SOLUTION
    }
}
