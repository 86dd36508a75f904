using VirtLab.Machine;

namespace VirtLab.Memory;

/// <summary>
/// An address as the guest sees it: "physical" to the guest, but only the first stage of the
/// translation. The hypervisor's per-VM page map (<see cref="GuestMemory"/>) turns the guest page
/// number into a host frame. A distinct type so that guest and host addresses cannot be mixed up.
/// </summary>
public readonly record struct GuestPhysicalAddress(uint Value)
{
    /// <summary>Where every VirtLab guest sees its RAM begin.</summary>
    public const uint RamBase = 0x8000_0000;

    /// <summary>The guest page number relative to <see cref="RamBase"/> (valid only for RAM addresses).</summary>
    public int PageIndex => (int)((Value - RamBase) >> PhysicalMemory.PageShift);

    /// <summary>Offset inside the 4 KiB page.</summary>
    public uint PageOffset => Value & PhysicalMemory.PageOffsetMask;

    public override string ToString() => $"gpa:0x{Value:x8}";
}
