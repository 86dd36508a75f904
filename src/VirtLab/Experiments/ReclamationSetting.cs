using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>
/// Which mechanisms a host may use to take memory back from its VMs when it runs short: ballooning,
/// host swapping, both, or none. Written as its <see cref="Name"/> (<c>balloon+swap</c>, <c>swap</c>,
/// <c>balloon</c>, <c>none</c>).
/// </summary>
/// <param name="Name">The setting's name in options and tables.</param>
/// <param name="Ballooning">Whether the host may inflate balloons.</param>
/// <param name="Swapping">Whether the host may swap guest pages out (and swap them in on demand).</param>
public sealed record ReclamationSetting(string Name, bool Ballooning, bool Swapping)
{
    /// <summary>Balloons first, host swapping when they are not enough (ESX's default).</summary>
    public static readonly ReclamationSetting BalloonAndSwap = new("balloon+swap", true, true);

    /// <summary>Host swapping only: victim pages chosen at random, as a hypervisor that cannot see inside the guest must.</summary>
    public static readonly ReclamationSetting Swap = new("swap", false, true);

    /// <summary>Ballooning only: the guest chooses what to give up.</summary>
    public static readonly ReclamationSetting Balloon = new("balloon", true, false);

    /// <summary>No reclamation: a guest that touches a page when no frame is free crashes.</summary>
    public static readonly ReclamationSetting None = new("none", false, false);

    /// <summary>The four settings.</summary>
    public static IReadOnlyList<ReclamationSetting> All { get; } = [BalloonAndSwap, Swap, Balloon, None];

    /// <summary>Parses a setting's name; on failure returns null and a message listing the known ones.</summary>
    public static ReclamationSetting? Parse(string text, out string? error)
    {
        var setting = All.FirstOrDefault(s => s.Name == text.Trim().ToLowerInvariant());
        error = setting is null ? $"unknown setting '{text}' (known: {string.Join(", ", All.Select(s => s.Name))})" : null;
        return setting;
    }

    /// <summary>The host's reclamation policy for this setting: ESX's shares-based policy with the allowed mechanisms, or null (never reclaim).</summary>
    public IReclamationPolicy? Policy() =>
        Ballooning || Swapping ? new SharesReclamationPolicy { UseBallooning = Ballooning, UseSwapping = Swapping } : null;

    /// <summary>The setting's <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
