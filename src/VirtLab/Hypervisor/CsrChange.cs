namespace VirtLab.Hypervisor;

/// <summary>A virtual CSR whose value an exit's emulation changed.</summary>
/// <param name="Name">The CSR's name (<c>mstatus</c>, <c>mepc</c>, ...).</param>
/// <param name="Before">Its value when the exit reached the hypervisor.</param>
/// <param name="After">Its value when the guest resumed.</param>
public readonly record struct CsrChange(string Name, uint Before, uint After)
{
    /// <summary>For example <c>mstatus: 0x00000000 -> 0x00000008</c>.</summary>
    public override string ToString() => $"{Name}: 0x{Before:x8} -> 0x{After:x8}";
}
