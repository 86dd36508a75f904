using VirtLab.Scheduling;

// Exercise 4, a submission that places like the built-in SMT-aware placement, but hangs whenever
// the same-VM-siblings rule is on, and throws in MoveTo on hosts of more than two cores.
public sealed class ThreadPlacement : ISmtPlacement
{
    public ThreadPlacement(bool sameVmSiblings)
    {
        long spins = 0;
        while (sameVmSiblings) spins++;
    }

    public string Name => "hangs-on-rule";
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) => SmtPlacement.SmtAware.FillOrder(threads);
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => true;
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) =>
        threads.Count > 4 ? throw new InvalidOperationException("too many threads") : SmtPlacement.SmtAware.MoveTo(busy, threads);
}
