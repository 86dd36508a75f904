namespace VirtLab.Hypervisor;

/// <summary>Why a vCPU left the guest and entered the hypervisor.</summary>
public enum VmExitReason
{
    /// <summary>A csrr/csrw/csrs/csrc (or immediate form) on a CSR the deprivileged guest may not touch.</summary>
    CsrAccess,
    /// <summary>A privileged instruction other than WFI: mret.</summary>
    PrivilegedInstruction,
    /// <summary>WFI: the guest is idle; the vCPU is descheduled until an interrupt is due.</summary>
    Wfi,
    /// <summary>A load or store to a virtual device's window, emulated by the device model.</summary>
    Mmio,
    /// <summary>An ecall with the hypercall marker in a7.</summary>
    Hypercall,
    /// <summary>First touch of a guest page with no host frame behind it (second-stage fault).</summary>
    GuestPageFault,
    /// <summary>A virtual timer interrupt delivered into the guest.</summary>
    Timer,
    /// <summary>A fault of the guest's own making (bad address, illegal instruction, ebreak, guest ecall) reflected into its trap handler.</summary>
    GuestException,
    /// <summary>A virtual software interrupt delivered into the guest: an inter-processor interrupt another vCPU sent through the virtual CLINT's msip.</summary>
    SoftwareInterrupt,
}

/// <summary>Exit counts by reason.</summary>
public sealed class ExitCounters
{
    /// <summary>How many reasons there are.</summary>
    public static readonly int Count = Enum.GetValues<VmExitReason>().Length;
    private readonly long[] _counts = new long[Count];
    private readonly ulong[] _cycles = new ulong[Count];

    public long this[VmExitReason reason] => _counts[(int)reason];

    /// <summary>Cycles charged for exits of <paramref name="reason"/>.</summary>
    public ulong CyclesOf(VmExitReason reason) => _cycles[(int)reason];

    /// <summary>All exits.</summary>
    public long Total => _counts.Sum();

    /// <summary>All cycles charged for exits.</summary>
    public ulong TotalCycles { get { ulong s = 0; foreach (var c in _cycles) s += c; return s; } }

    internal void Add(VmExitReason reason, ulong cycles) { _counts[(int)reason]++; _cycles[(int)reason] += cycles; }

    internal void AddFrom(ExitCounters other)
    {
        for (int i = 0; i < Count; i++) { _counts[i] += other._counts[i]; _cycles[i] += other._cycles[i]; }
    }
}
