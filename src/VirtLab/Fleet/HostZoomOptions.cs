using VirtLab.Hypervisor;

namespace VirtLab.Fleet;

/// <summary>
/// How <see cref="HostZoom"/> replays one host of a fleet run on VirtLab's hypervisor: how finely a
/// guest's duty cycle follows its trace value, and how long the simulated run lasts.
/// <para>
/// <b>The scale.</b> A trace value holds for a 5-minute interval; the replay compresses it into
/// <see cref="DurationMilliseconds"/> of simulated time, long enough for several of the credit
/// scheduler's 30 ms slices and many duty-cycle periods. One hypervisor core stands for one core of
/// the fleet's host (<see cref="HostType.MipsPerCore"/>), so a VM asking for 465 MIPS on a host of
/// 1860 MIPS cores is a guest busy a quarter of the time.
/// </para>
/// </summary>
public sealed record HostZoomOptions
{
    /// <summary>The guest kernel's timer tick, in simulated ms: the unit of the duty cycle. Default 1 ms.</summary>
    public double TickMilliseconds { get; init; } = 1;

    /// <summary>
    /// Timer ticks in one busy-then-idle period of the first VM; VM i uses <c>PeriodTicks + i</c> so
    /// that the VMs' bursts do not stay lined up. A VM's duty cycle is rounded to whole ticks of its
    /// period. Default 20 (a 20 ms period; duty cycles in steps of 5 %).
    /// </summary>
    public int PeriodTicks { get; init; } = 20;

    /// <summary>
    /// True (the default): charge exits at the published cycle counts scaled to VirtLab's time scale
    /// (<see cref="HostConfig.CyclesPerMillisecond"/> against a 3 GHz core, so 1/30 of them). VirtLab's
    /// host runs 30 times fewer cycles per simulated ms than real hardware, so at the published
    /// counts a guest's timer ticks would cost 30 times too much of each ms, and a host of many
    /// mostly idle VMs would be busy with their ticks alone. The zoom-in is about sharing cores, so
    /// it scales them; false keeps the published counts.
    /// </summary>
    public bool ScaleExitCosts { get; init; } = true;

    /// <summary>Simulated milliseconds each of the two runs lasts. Default 300.</summary>
    public double DurationMilliseconds { get; init; } = 300;

    /// <summary>Simulated milliseconds left out at the start, while the VMs boot and their bursts spread out. Default 60.</summary>
    public double WarmupMilliseconds { get; init; } = 60;

    /// <summary>Seed of the hypervisor runs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws a <see cref="ConfigurationException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (!(TickMilliseconds > 0)) throw new ConfigurationException("tick-ms", $"{TickMilliseconds} must be positive");
        if (PeriodTicks < 2) throw new ConfigurationException("period-ticks", $"{PeriodTicks} must be at least 2 (a busy and an idle tick)");
        if (!(DurationMilliseconds > 0)) throw new ConfigurationException("duration-ms", $"{DurationMilliseconds} must be positive");
        if (!(WarmupMilliseconds >= 0 && WarmupMilliseconds < DurationMilliseconds))
            throw new ConfigurationException("warmup-ms", $"{WarmupMilliseconds} must be at least 0 and less than the duration ({DurationMilliseconds})");
    }
}
