namespace VirtLab.Experiments;

/// <summary>The host at one sample of <see cref="ExperimentRunner"/>'s host series. Times are simulated milliseconds.</summary>
/// <param name="TimeMilliseconds">When the sample was taken.</param>
/// <param name="Utilization">Busy share of the usable hardware threads since the previous sample, 0..1.</param>
/// <param name="BusyMilliseconds">Busy time of all hardware threads since the start.</param>
/// <param name="FreeFrames">Host frames nobody holds.</param>
/// <param name="ReservedFrames">Frames kept for the hypervisor (Type 1) or the host OS (Type 2).</param>
/// <param name="VmMappedPages">Guest pages with a frame of their own, all VMs together.</param>
/// <param name="ReclamationState">The reclamation state the policy last saw: high, soft, hard or low.</param>
/// <param name="SwapUsedPages">Pages in the host swap area.</param>
public sealed record HostSample(
    [property: Column("time_ms")] double TimeMilliseconds,
    [property: Column("utilization")] double Utilization,
    [property: Column("busy_ms")] double BusyMilliseconds,
    [property: Column("free_frames")] int FreeFrames,
    [property: Column("reserved_frames")] int ReservedFrames,
    [property: Column("vm_mapped_pages")] int VmMappedPages,
    [property: Column("reclamation_state")] string ReclamationState,
    [property: Column("swap_used_pages")] int SwapUsedPages);
