// Exercise 4, a submission that places like the solution (compiled with it, renamed Solution, whose
// usings it shares), but hangs whenever the same-VM-siblings rule is on, and throws in MoveTo on
// hosts of more than two cores.
public sealed class ThreadPlacement : ISmtPlacement
{
    private readonly Solution _solution = new(false);

    public ThreadPlacement(bool sameVmSiblings)
    {
        long spins = 0;
        while (sameVmSiblings) spins++;
    }

    public string Name => "hangs-on-rule";
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) => _solution.FillOrder(threads);
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => true;
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) =>
        threads.Count > 4 ? throw new InvalidOperationException("too many threads") : _solution.MoveTo(busy, threads);
}
