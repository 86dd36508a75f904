namespace VirtLab.Machine.Devices;

/// <summary>
/// A device that answers loads and stores in a window of the physical address space (memory-mapped
/// I/O). The bus calls it with the offset inside its window and an access size of 1, 2 or 4 bytes.
/// Device accesses are always on the interpreter's slow path, so a device may look at the time.
/// </summary>
public interface IMmioDevice
{
    /// <summary>A short name for traces and error messages ("uart0", "clint").</summary>
    string Name { get; }

    /// <summary>Size of the window in bytes.</summary>
    uint Size { get; }

    /// <summary>Reads <paramref name="size"/> bytes at <paramref name="offset"/>; false means an access fault.</summary>
    bool Read(uint offset, int size, out uint value);

    /// <summary>Writes the low <paramref name="size"/> bytes of <paramref name="value"/>; false means an access fault.</summary>
    bool Write(uint offset, int size, uint value);
}
