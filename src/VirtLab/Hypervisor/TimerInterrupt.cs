namespace VirtLab.Hypervisor;

/// <summary>
/// One virtual timer interrupt the hypervisor injected into a VM: when the guest's timer was due
/// and when the interrupt reached the guest. The gap, <see cref="LatencyCycles"/>, is the guest's
/// timer latency: the time its vCPU waited to be woken, to get a hardware thread (behind other
/// vCPUs or, on a Type 2 host, behind the host OS's own processes), or to switch interrupts back on.
/// A guest measures the same gap with a tool such as <c>cyclictest</c>.
/// </summary>
/// <param name="Vcpu">The vCPU (its index in the VM) the interrupt was injected into.</param>
/// <param name="DeadlineCycle">The host cycle at which the guest's timer compare value was reached.</param>
/// <param name="InjectedCycle">The host cycle at which the hypervisor injected the interrupt.</param>
public readonly record struct TimerInterrupt(int Vcpu, ulong DeadlineCycle, ulong InjectedCycle)
{
    /// <summary>How late the interrupt was, in host cycles (0 if it was injected at its deadline).</summary>
    public ulong LatencyCycles => InjectedCycle > DeadlineCycle ? InjectedCycle - DeadlineCycle : 0;

    /// <summary>
    /// <see cref="LatencyCycles"/> in simulated microseconds on a host with
    /// <paramref name="cyclesPerMillisecond"/> cycles per simulated millisecond (<see cref="HostConfig.CyclesPerMillisecond"/>).
    /// </summary>
    public double LatencyMicroseconds(ulong cyclesPerMillisecond) => LatencyCycles * 1000.0 / cyclesPerMillisecond;
}
