namespace VirtLab.Hypervisor;

/// <summary>
/// The hypercall ABI. A guest makes a hypercall with <c>ecall</c> and
/// <list type="bullet">
/// <item><c>a7</c> = <see cref="Magic"/> ("VLAB"): without it the ecall is the guest's own and is reflected into its trap handler;</item>
/// <item><c>a6</c> = the function number below;</item>
/// <item><c>a0</c>..<c>a2</c> = arguments.</item>
/// </list>
/// On return <c>a0</c> = 0 for success or -1 for an unknown function, <c>a1</c>/<c>a2</c> = results,
/// and the guest continues after the ecall. All other registers are preserved. (The layout follows
/// RISC-V SBI, where a7 is the extension id and a6 the function id.)
/// </summary>
public static class Hypercalls
{
    /// <summary>"VLAB" in a7 marks a hypercall.</summary>
    public const uint Magic = 0x564C_4142;

    /// <summary>The register that holds <see cref="Magic"/>: a7 (x17), where SBI puts the extension id.</summary>
    public const int MarkerRegister = 17;
    /// <summary>The register that holds the function number: a6 (x16), where SBI puts the function id.</summary>
    public const int FunctionRegister = 16;

    /// <summary>a0 = a character for the VM's console.</summary>
    public const uint PutChar = 0;
    /// <summary>a0/a1 = low/high word of an absolute mtime deadline for this vCPU's timer (replaces two MMIO stores).</summary>
    public const uint SetTimer = 1;
    /// <summary>Returns mtime in a1 (low) and a2 (high) without trapping MMIO reads.</summary>
    public const uint GetTime = 2;
    /// <summary>Gives up the hardware thread until this vCPU's next interrupt (a paravirtual WFI).</summary>
    public const uint Yield = 3;
    /// <summary>a0 = guest address of a request descriptor {addr, len, cmd}: the device handles it in one exit.</summary>
    public const uint Notify = 4;
    /// <summary>a0 = code, a1 = detail: the guest kernel gave up. The VM is stopped with this as its reason.</summary>
    public const uint Panic = 5;
    /// <summary>a0 = exit code: the guest shuts down.</summary>
    public const uint Shutdown = 6;
}
