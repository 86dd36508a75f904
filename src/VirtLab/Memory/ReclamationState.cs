namespace VirtLab.Memory;

/// <summary>
/// The host's free-memory state (ESX). Going down, a state is entered as soon as free memory falls
/// below its threshold; going up, a state is left only once free memory reaches the threshold of
/// the state above (hysteresis), so the host does not flap between reclaiming and not.
/// </summary>
public enum ReclamationState
{
    /// <summary>Enough free memory: no reclamation; balloons are slowly let down.</summary>
    High,
    /// <summary>Below the soft threshold: reclaim by ballooning (host swapping only for VMs without a driver).</summary>
    Soft,
    /// <summary>Below the hard threshold: reclaim by host swapping as well.</summary>
    Hard,
    /// <summary>Below the low threshold: swap, and the host is close to failing faults.</summary>
    Low,
}
