namespace VirtLab.Hypervisor;

/// <summary>
/// What the hypervisor's mechanisms cost, in hart cycles. Defaults come from published
/// measurements (docs: shared/reference/virtualization-figures.md); every experiment may override
/// them. Costs are in cycles, not milliseconds, so the ratio "exit cost : guest instructions" is
/// realistic whatever time scaling (<see cref="HostConfig.CyclesPerMillisecond"/>) is in use.
/// </summary>
public sealed record CostModel
{
    /// <summary>
    /// A VM exit plus the entry back into the guest (hardware world switch, no handler work).
    /// "Modern x86 VM exit + entry: roughly 1,000-1,500 cycles" (Dall et al., ISCA 2016).
    /// </summary>
    public ulong VmExitCycles { get; init; } = 1_200;

    /// <summary>Emulating one CSR access or privileged instruction against the virtual CSRs (decode + update).</summary>
    public ulong EmulateInstructionCycles { get; init; } = 150;

    /// <summary>
    /// A hypercall round trip. Xen on x86 ~1,228 cycles (Dall et al. 2016); it is an exit with a
    /// cheaper decode, so it replaces <see cref="VmExitCycles"/> rather than adding to it.
    /// </summary>
    public ulong HypercallCycles { get; init; } = 1_228;

    /// <summary>Decoding an MMIO access and running the device model.</summary>
    public ulong MmioEmulationCycles { get; init; } = 400;

    /// <summary>Serving a second-stage page fault: allocate a frame, zero 4 KiB, map it.</summary>
    public ulong GuestPageFaultCycles { get; init; } = 2_500;

    /// <summary>
    /// Handler work of a touch fault: the guest touched a page the active-memory sampler had hidden;
    /// the hypervisor notes it and restores the mapping (no frame to find, nothing to zero). Paid on
    /// top of <see cref="VmExitCycles"/>. An estimate, not a published figure: a fifth of
    /// <see cref="GuestPageFaultCycles"/>, most of which is zeroing 4 KiB.
    /// </summary>
    public ulong TouchFaultCycles { get; init; } = 500;

    /// <summary>
    /// Extra stall of a swap-in fault: reading 4 KiB back from the host's swap device. An SSD read
    /// is about 100 µs, 300,000 cycles at 3 GHz (a disk seek would be 10-100x more). Published cycles,
    /// like the other costs, so it is about 3 simulated ms at VirtLab's default time scale.
    /// </summary>
    public ulong SwapInCycles { get; init; } = 300_000;

    /// <summary>Injecting a virtual interrupt: exit on the host timer, build the trap frame, enter the guest.</summary>
    public ulong InterruptInjectionCycles { get; init; } = 1_300;

    /// <summary>Switching a hardware thread from one vCPU to another (save and restore vCPU state).</summary>
    public ulong WorldSwitchCycles { get; init; } = 2_000;

    /// <summary>
    /// Type 2 only: the extra trip from the host kernel up to the hypervisor's user-space process
    /// and back, paid by the exits that process handles: accesses to the devices it models (UART,
    /// block device, balloon) and the device hypercalls (console, notify). A hosted hypervisor keeps
    /// CPU virtualization (CSRs, privileged instructions, WFI, interrupt injection, second-stage
    /// faults) and the interrupt controller and timer in the host kernel, as KVM does with its
    /// in-kernel irqchip and timer, so those exits cost the same as on Type 1 (KVM on x86 ~1,300
    /// cycles per hypercall vs Xen on x86 ~1,228). The size of a trip through a hosted-style split:
    /// KVM on ARM ~6,500 cycles per hypercall vs Xen on ARM ~376 (Dall et al. 2016), about 6,000 extra.
    /// </summary>
    public ulong HostKernelRoundTripCycles { get; init; } = 6_000;

    /// <summary>Checks the costs; returns a message naming the field at fault, or null.</summary>
    public string? Validate() => null;   // unsigned: every value is allowed, including 0 for "free"
}
