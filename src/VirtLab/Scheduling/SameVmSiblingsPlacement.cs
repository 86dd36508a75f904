namespace VirtLab.Scheduling;

/// <summary>
/// Same-VM siblings (<see cref="SmtPlacement.SameVmSiblings"/>): the two threads of a core only ever
/// run vCPUs of the same VM at the same time (VMware's SCAv2, Linux core scheduling with one cookie
/// per VM), so a guest cannot use L1TF or MDS to read another VM's data through the core it shares,
/// while a multi-vCPU VM still gets the SMT gain. A thread whose sibling runs another VM stays idle
/// rather than break the rule. Threads are filled core by core, so a core's second thread is offered
/// to the first one's VM before the next core is started; an entity sharing a core still moves to a
/// wholly idle core, as with SMT-aware placement.
/// </summary>
public sealed class SameVmSiblingsPlacement : ISmtPlacement
{
    /// <summary>"same-vm-siblings".</summary>
    public string Name => "same-vm-siblings";

    /// <summary>Thread 0, 1, 2, ...: core by core.</summary>
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads) => threads.Select(t => t.Index).ToArray();

    /// <summary>Only an entity of the sibling's own VM (or of the host, beside host work).</summary>
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling) => candidate.Group == sibling.Group;

    /// <summary>As <see cref="SmtAwarePlacement.SpreadToIdleCore"/>.</summary>
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads) => SmtAwarePlacement.SpreadToIdleCore(busy, threads);
}
