using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>The host OS processes that compete with the vCPU threads of a Type 2 host.</summary>
public enum BackgroundLoad
{
    /// <summary>A quiet desktop session (<see cref="HostConfig.DefaultBackground"/>, about 0.12 of one hardware thread).</summary>
    Default,
    /// <summary>A busy desktop (<see cref="HostConfig.BusyBackground"/>, about 0.6 of one hardware thread).</summary>
    Busy,
    /// <summary>No host processes at all.</summary>
    None,
}
