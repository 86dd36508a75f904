namespace VirtLab.Machine;

/// <summary>
/// The privilege modes a RISC-V hart can run in. The numbers are the encodings the privileged
/// specification uses in <c>mstatus.MPP</c>, so a value can be stored there directly.
/// VirtLab implements M and U; S is reserved here so the hart can grow it later.
/// </summary>
public enum Privilege : uint
{
    /// <summary>User mode: applications, and in VirtLab every guest kernel (deprivileged by the hypervisor).</summary>
    User = 0,
    /// <summary>Supervisor mode: not implemented yet; kept so the encoding stays complete.</summary>
    Supervisor = 1,
    /// <summary>Machine mode: full access to the hardware. A bare-metal program starts here.</summary>
    Machine = 3,
}
