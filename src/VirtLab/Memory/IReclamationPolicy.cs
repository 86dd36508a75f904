namespace VirtLab.Memory;

/// <summary>
/// A memory reclamation policy: decides which VMs give memory back when the host runs short, and
/// how (ballooning or host swapping). Give a host yours with
/// <c>new HostConfig { ReclamationPolicy = new MyPolicy() }</c>; the default is
/// <see cref="SharesReclamationPolicy"/>, and null turns reclamation off.
/// <para>
/// <b>When the host calls what.</b> <see cref="Reclaim"/> once per
/// <c>HostConfig.ReclamationPeriodMilliseconds</c>, between scheduling steps, after the host has
/// updated its free-memory state (<see cref="ReclamationState"/>). Only inside it may the policy
/// change a VM: <see cref="IReclaimableVm.BalloonTarget"/>, <see cref="IReclaimableVm.TargetPages"/>,
/// <see cref="IReclaimableVm.SwapOut"/>. <see cref="ChooseVictim"/> is called in the middle of a
/// guest's page fault when no frame is free (with <c>HostConfig.SwapOnDemand</c>); it only
/// chooses, and the host swaps one page of the VM it returns.
/// </para>
/// <para>
/// <b>Rules.</b> Balloon and allocation targets are 0 .. the VM's max; swap counts are 0 .. what
/// the VM holds above its min (above 0 in the low state); <see cref="ChooseVictim"/> returns one of
/// its candidates. A policy that breaks a rule, changes a VM outside <see cref="Reclaim"/>, or throws
/// stops the host with a <c>PolicyViolationException</c> naming the policy, the member and the time;
/// no frame is lost or counted twice.
/// </para>
/// <example>
/// Ask every VM's balloon for an equal part of what the host needs, and let them down when memory is plentiful:
/// <code>
/// public sealed class EqualBalloons : IReclamationPolicy
/// {
///     public string Name =&gt; "equal-balloons";
///     public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList&lt;IReclaimableVm&gt; vms, Random random)
///     {
///         foreach (var vm in vms)
///         {
///             int each = pagesWanted / Math.Max(1, vms.Count);
///             vm.BalloonTarget = state == ReclamationState.High ? 0 : Math.Min(vm.MaxPages - vm.MinPages, vm.BalloonedPages + each);
///         }
///     }
/// }
/// </code>
/// </example>
/// </summary>
public interface IReclamationPolicy
{
    /// <summary>A short name for tables and error messages ("shares").</summary>
    string Name { get; }

    /// <summary>Decides balloon targets, allocation targets and swap-outs for this period.</summary>
    /// <param name="state">The host's free-memory state.</param>
    /// <param name="pagesWanted">Frames to free to get back to the high threshold (0 in the high state).</param>
    /// <param name="surplusPages">Frames free above the high threshold (to let balloons down in the high state).</param>
    /// <param name="vms">The running VMs (the host's list, refilled each period: read it during the call).</param>
    /// <param name="random">The host's seeded random source (for random victims); the host swaps with it too.</param>
    void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random);

    /// <summary>
    /// A guest fault found no free frame: which of <paramref name="candidates"/> (never empty; the
    /// running VMs above their min, except the one faulting) gives one page right now? By default a random one.
    /// </summary>
    IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random) => candidates[random.Next(candidates.Count)];
}
