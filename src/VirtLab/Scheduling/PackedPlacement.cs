namespace VirtLab.Scheduling;

/// <summary>
/// Packed placement (<see cref="SmtPlacement.Packed"/>): fill hardware threads in index order, so a
/// core's second thread before the next core's first, and never migrate. What a scheduler that does
/// not know about SMT does: two busy vCPUs on an otherwise idle four-thread host share one core.
/// </summary>
public sealed class PackedPlacement : ISmtPlacement
{
    /// <summary>"packed".</summary>
    public string Name => "packed";

    /// <summary>Thread 0, 1, 2, ...</summary>
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) => threads.Select(t => t.Index).ToArray();

    /// <summary>Anyone may run beside anyone.</summary>
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => true;

    /// <summary>Never moves anything.</summary>
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) => null;
}
