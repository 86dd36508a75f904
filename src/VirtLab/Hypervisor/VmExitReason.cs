namespace VirtLab.Hypervisor;

/// <summary>
/// Why a vCPU left the guest and entered the hypervisor. Each reason has one handler in
/// <see cref="Vcpu"/>'s exit switch. Some reasons are finer cases of an older, broader one (a touch
/// fault is a kind of second-stage page fault, a balloon doorbell a kind of MMIO exit); see
/// <see cref="ExitCounters.FamilyOf"/> to count a family together.
/// </summary>
public enum VmExitReason
{
    /// <summary>A csrr/csrw/csrs/csrc (or immediate form) on a CSR the deprivileged guest may not touch.</summary>
    CsrAccess,
    /// <summary>A privileged instruction other than WFI: mret.</summary>
    PrivilegedInstruction,
    /// <summary>WFI: the guest is idle; the vCPU is descheduled until an interrupt is due.</summary>
    Wfi,
    /// <summary>A load or store to a virtual device's window, completed by the device model during the instruction.</summary>
    Mmio,
    /// <summary>An ecall with the hypercall marker in a7 (see <see cref="Hypercalls"/>).</summary>
    Hypercall,
    /// <summary>
    /// A second-stage page fault: the first touch of a guest page with no host frame behind it, or a
    /// write to a page shared read-only with other VMs (copy-on-write). The hypervisor gives it a frame
    /// during the access; the instruction then completes.
    /// </summary>
    GuestPageFault,
    /// <summary>A virtual timer interrupt delivered into the guest.</summary>
    Timer,
    /// <summary>A fault of the guest's own making (bad address, illegal instruction, ebreak, guest ecall) reflected into its trap handler.</summary>
    GuestException,
    /// <summary>A virtual software interrupt delivered into the guest: an inter-processor interrupt another vCPU sent through the virtual CLINT's msip.</summary>
    SoftwareInterrupt,
    /// <summary>
    /// A touch fault: the guest touched a page the active-memory sampler had hidden to notice exactly
    /// that (see <see cref="Memory.ActiveMemoryEstimator"/>). The hypervisor counts the touch and gives the
    /// mapping back; no frame is allocated. A finer case of <see cref="GuestPageFault"/>.
    /// </summary>
    TouchFault,
    /// <summary>
    /// The swap-in that a second-stage fault had to do because the page was in the host's swap area:
    /// the vCPU stalls while the page is read back. It follows that fault's own
    /// <see cref="GuestPageFault"/> exit and charges only the read (<see cref="CostModel.SwapInCycles"/>).
    /// A finer case of <see cref="GuestPageFault"/>.
    /// </summary>
    SwapIn,
    /// <summary>
    /// The guest's balloon driver rang the balloon device's doorbell (a store to its COMMAND register):
    /// the handler inflates or deflates the balloon by the batch of page numbers the driver wrote.
    /// A finer case of <see cref="Mmio"/>.
    /// </summary>
    BalloonDoorbell,
}
