namespace VirtLab.Scheduling;

/// <summary>
/// SMT-aware placement (<see cref="SmtPlacement.SmtAware"/>): fill the first thread of every core
/// before any second thread, and when one core runs two entities while another core is wholly idle,
/// move the second thread's entity there. Two busy vCPUs then get two cores to themselves rather
/// than sharing one core's pipeline and cache.
/// </summary>
public sealed class SmtAwarePlacement : ISmtPlacement
{
    /// <summary>"smt-aware".</summary>
    public string Name => "smt-aware";

    /// <summary>The first thread of every core, then the second threads, each in core order.</summary>
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) =>
        threads.OrderBy(t => t.SiblingIndex >= 0 && t.SiblingIndex < t.Index ? 1 : 0).ThenBy(t => t.Core).Select(t => t.Index).ToArray();

    /// <summary>Anyone may run beside anyone.</summary>
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => true;

    /// <summary>The second thread of a core whose first thread is busy too moves to the first thread of the first wholly idle core.</summary>
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) => SpreadToIdleCore(busy, threads);

    /// <summary>
    /// The first thread of the first core whose threads are all idle, if <paramref name="busy"/> is
    /// the second thread of a core whose first thread is busy too; otherwise null.
    /// </summary>
    public static HardwareThread? SpreadToIdleCore(HardwareThread busy, IReadOnlyList<HardwareThread> threads)
    {
        if (busy.SiblingIndex < 0 || busy.SiblingIndex > busy.Index || threads[busy.SiblingIndex].Current is null) return null;
        for (int i = 0; i < threads.Count; i++)
        {
            var first = threads[i];
            if (first.SiblingIndex < first.Index) continue;   // look at each core once, at its first thread
            if (first.Current is null && threads[first.SiblingIndex].Current is null) return first;
        }
        return null;
    }
}
