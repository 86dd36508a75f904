namespace VirtLab.Machine;

/// <summary>
/// How to build a <see cref="Machine"/>. The defaults give a small single-hart board laid out like
/// QEMU's virt machine: RAM at 0x80000000, CLINT at 0x02000000, UART at 0x10000000 and the test
/// finisher at 0x00100000.
/// </summary>
public sealed record MachineConfig
{
    /// <summary>Number of harts (hardware threads). 1 to <see cref="MaxHarts"/>.</summary>
    public int HartCount { get; init; } = 1;

    /// <summary>RAM size in bytes: a multiple of 4 KiB, at most 1 GiB. Default 16 MiB.</summary>
    public uint RamSize { get; init; } = 16u << 20;

    /// <summary>Hart cycles per tick of the CLINT's mtime (see <see cref="Devices.Clint.DefaultCyclesPerTick"/>).</summary>
    public ulong CyclesPerTick { get; init; } = Devices.Clint.DefaultCyclesPerTick;

    /// <summary>
    /// Instructions a hart runs before the next hart gets a turn. Harts are interleaved, not run in
    /// parallel, so that a run is repeatable; this bounds how far apart their clocks drift.
    /// </summary>
    public long HartQuantum { get; init; } = 10_000;

    public const int MaxHarts = 64;
    public const uint RamBase = 0x8000_0000;
    public const uint MaxRamSize = 1u << 30;

    /// <summary>Checks the configuration; returns a message naming the field at fault, or null if it is valid.</summary>
    public string? Validate()
    {
        if (HartCount is < 1 or > MaxHarts) return $"HartCount: {HartCount} is not between 1 and {MaxHarts}";
        if (RamSize == 0 || RamSize % PhysicalMemory.PageSize != 0) return $"RamSize: {RamSize} is not a positive multiple of 4096 bytes";
        if (RamSize > MaxRamSize) return $"RamSize: {RamSize} is larger than the {MaxRamSize >> 20} MiB limit";
        if (CyclesPerTick == 0) return "CyclesPerTick: must be at least 1";
        if (HartQuantum < 1) return "HartQuantum: must be at least 1";
        return null;
    }
}
