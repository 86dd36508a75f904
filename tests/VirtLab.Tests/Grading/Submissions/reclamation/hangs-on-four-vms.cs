// Exercise 3, a submission that hands everything to the solution (compiled with it, renamed
// Solution, whose usings it shares) on three VMs but hangs in Reclaim on a host of four, and throws
// in ChooseVictim there if it ever gets that far.
public sealed class ServiceLevelPolicy : IReclamationPolicy
{
    private readonly Solution _solution = new();

    public string Name => "hangs-on-four-vms";

    public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
    {
        long spins = 0;
        while (vms.Count == 4) spins++;
        _solution.Reclaim(state, pagesWanted, surplusPages, vms, random);
    }

    public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random) =>
        candidates.Count >= 3 ? throw new InvalidOperationException("four is too many") : _solution.ChooseVictim(candidates, random);
}
