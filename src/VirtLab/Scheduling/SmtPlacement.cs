namespace VirtLab.Scheduling;

/// <summary>The built-in SMT placements, by name (see <see cref="ISmtPlacement"/>).</summary>
public static class SmtPlacement
{
    /// <summary>Prefer hardware threads on idle cores before siblings of busy threads, and migrate to get there (the default).</summary>
    public static ISmtPlacement SmtAware { get; } = new SmtAwarePlacement();

    /// <summary>Fill hardware threads in order, siblings first, and never migrate: what an SMT-unaware scheduler does.</summary>
    public static ISmtPlacement Packed { get; } = new PackedPlacement();

    /// <summary>
    /// The two threads of a core only ever run vCPUs of the same VM at the same time (VMware's SCAv2,
    /// Linux core scheduling with one cookie per VM). See <see cref="SameVmSiblingsPlacement"/>.
    /// </summary>
    public static ISmtPlacement SameVmSiblings { get; } = new SameVmSiblingsPlacement();
}
