using VirtLab.Scheduling;

// Exercise 4, a weak submission: it packs vCPUs onto as few cores as it can and never moves them
// (the built-in packed placement), and ignores the same-VM-siblings rule.
public sealed class ThreadPlacement(bool sameVmSiblings) : ISmtPlacement
{
    public string Name => "packed-" + sameVmSiblings;
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) => SmtPlacement.Packed.FillOrder(threads);
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => true;
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) => null;
}
