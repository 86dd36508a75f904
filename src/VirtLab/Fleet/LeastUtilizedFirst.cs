namespace VirtLab.Fleet;

/// <summary>
/// Underload handling of Beloglazov and Buyya (2012, section 5): try the least utilized host first,
/// then the next, until every host has been tried. Evacuating the emptiest hosts moves the fewest
/// MIPS for each host switched off.
/// </summary>
public sealed class LeastUtilizedFirst : IUnderloadPolicy
{
    /// <inheritdoc/>
    public string Name => "least-utilized";

    /// <inheritdoc/>
    public void SelectHosts(List<HostLoad> candidates) =>
        candidates.Sort((a, b) => a.Utilization != b.Utilization ? a.Utilization.CompareTo(b.Utilization) : a.Host.CompareTo(b.Host));
}
