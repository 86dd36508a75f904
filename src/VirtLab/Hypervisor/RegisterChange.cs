using VirtLab.Assembly;

namespace VirtLab.Hypervisor;

/// <summary>A guest register that an exit's emulation changed (a CSR read into rd, a hypercall's result in a0, ...).</summary>
/// <param name="Register">The register number, 1..31.</param>
/// <param name="Before">Its value when the exit reached the hypervisor.</param>
/// <param name="After">Its value when the guest resumed.</param>
public readonly record struct RegisterChange(int Register, uint Before, uint After)
{
    /// <summary>The register's ABI name (<c>a0</c>, <c>t1</c>, ...).</summary>
    public string Name => RegisterNames.AbiName(Register);

    /// <summary>For example <c>a0: 0x00000000 -> 0x00001888</c>.</summary>
    public override string ToString() => $"{Name}: 0x{Before:x8} -> 0x{After:x8}";
}
