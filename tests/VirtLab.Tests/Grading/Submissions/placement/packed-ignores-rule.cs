// Exercise 4, a weak submission: it packs vCPUs onto as few cores as it can (threads in index
// order, as the built-in packed placement does) and never moves them, and ignores the
// same-VM-siblings rule. (Compiled after the solution, like the others here; it does not use it.)
public sealed class ThreadPlacement(bool sameVmSiblings) : ISmtPlacement
{
    public string Name => "packed-" + sameVmSiblings;
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) => [.. threads.Select(t => t.Index)];
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => true;
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) => null;
}
