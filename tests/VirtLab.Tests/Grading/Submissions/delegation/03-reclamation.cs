using VirtLab.Memory;

// Exercise 3, a submission that hands every decision to VirtLab's own shares policy.
public sealed class ServiceLevelPolicy : IReclamationPolicy
{
    private readonly SharesReclamationPolicy _shares = new();

    public string Name => "service-level";
    public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random) =>
        _shares.Reclaim(state, pagesWanted, surplusPages, vms, random);
    public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random) => _shares.ChooseVictim(candidates, random);
}
