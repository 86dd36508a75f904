using VirtLab.Scheduling;

/// <summary>
/// Exercise 4: SMT placement. Read README.md first. <c>virtlab grade</c> makes one of these per run
/// with <c>new ThreadPlacement(sameVmSiblings)</c>; see <see cref="ISmtPlacement"/> for when the host
/// calls which member.
/// </summary>
/// <param name="sameVmSiblings">True when the two threads of a core may only run vCPUs of the same VM at the same time.</param>
public sealed class ThreadPlacement(bool sameVmSiblings) : ISmtPlacement
{
    /// <summary>"my-placement".</summary>
    public string Name => "my-placement";

    /// <summary>Whether this placement keeps other VMs off a core's second thread.</summary>
    public bool SameVmSiblings => sameVmSiblings;

    /// <inheritdoc/>
    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads)
    {
        // BEGIN SOLUTION
        // Under the rule, fill core by core, so a VM's next vCPU is offered the second thread of its own core.
        if (sameVmSiblings) return [.. threads.Select(t => t.Index)];
        // Otherwise every core's first thread before any second thread: busy vCPUs get whole cores while there are some.
        return [.. threads.Where(IsFirstThread).Select(t => t.Index), .. threads.Where(t => !IsFirstThread(t)).Select(t => t.Index)];
        // END SOLUTION
    }

    /// <inheritdoc/>
    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling)
    {
        // BEGIN SOLUTION
        return !sameVmSiblings || candidate.Group == sibling.Group;
        // END SOLUTION
    }

    /// <inheritdoc/>
    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads)
    {
        // BEGIN SOLUTION
        // Only a core's second thread, and only while its first thread is busy too: that pair shares a pipeline.
        if (IsFirstThread(busy) || threads[busy.SiblingIndex].Current is null) return null;
        foreach (var first in threads)
            if (IsFirstThread(first) && first.Current is null && threads[first.SiblingIndex].Current is null) return first;
        return null;
        // END SOLUTION
    }

    // BEGIN SOLUTION MEMBERS
    private static bool IsFirstThread(HardwareThread t) => t.SiblingIndex < 0 || t.SiblingIndex > t.Index;
    // END SOLUTION
}
