using VirtLab.Scheduling;

namespace StudentPolicies;

/// <summary>
/// An SMT placement: the two threads of a core never run two different VMs at once, nor a VM
/// beside host work. Threads are filled core by core, so a core's second thread is offered to the
/// first one's VM before the next core is started; nothing ever moves.
/// </summary>
public sealed class OneVmPerCorePlacement : ISmtPlacement
{
    /// <summary>"one-vm-per-core".</summary>
    public string Name => "one-vm-per-core";

    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) =>
        threads.Select(t => t.Index).ToList();

    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => candidate.Group == sibling.Group;

    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) => null;
}
