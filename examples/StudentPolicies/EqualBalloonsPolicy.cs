using VirtLab.Memory;

namespace StudentPolicies;

/// <summary>
/// The simplest ballooning policy: whenever the host is short of memory, every VM's balloon is
/// asked for an equal part of what the host needs, shares and activity notwithstanding. It never
/// swaps, and it never lets a balloon down again (a better policy would, once memory is plentiful).
/// </summary>
public sealed class EqualBalloonsPolicy : IReclamationPolicy
{
    private readonly Dictionary<string, int> _targets = new();

    /// <summary>"equal-balloons".</summary>
    public string Name => "equal-balloons";

    /// <summary>The balloon target this policy last set for each VM, by name.</summary>
    public IReadOnlyDictionary<string, int> Targets => _targets;

    /// <summary>Periods in which the host was short of memory.</summary>
    public int ShortPeriods { get; private set; }

    public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
    {
        if (state == ReclamationState.High || vms.Count == 0) return;
        ShortPeriods++;
        int each = (pagesWanted + vms.Count - 1) / vms.Count;
        foreach (var vm in vms)
        {
            // A driver still on its way to the last target is not asked for more; no VM goes below its min.
            int target = Math.Min(vm.MaxPages - vm.MinPages, Math.Max(vm.BalloonTarget, vm.BalloonedPages + each));
            vm.BalloonTarget = target;
            _targets[vm.Name] = target;
        }
    }
}
