namespace VirtLab.Programs;

/// <summary>
/// A contiguous piece of a program: bytes to place at an address, and what the program may do there.
/// </summary>
/// <param name="Name">The section it came from, e.g. <c>.text</c> or <c>.data</c>.</param>
/// <param name="Address">Where the first byte goes.</param>
/// <param name="Bytes">The initialised contents.</param>
/// <param name="Executable">True if the program may fetch instructions from it.</param>
/// <param name="Writable">True if the program may store to it.</param>
/// <remarks>
/// A segment can occupy more memory than it has bytes: <c>.bss</c> is all zeros, so an image stores
/// only its size. Set <see cref="MemorySize"/> for that; the rest is zero-filled by the loader.
/// </remarks>
public sealed record ImageSegment(string Name, uint Address, byte[] Bytes, bool Executable, bool Writable)
{
    private readonly uint _memorySize;

    /// <summary>Bytes of memory the segment occupies: at least <c>Bytes.Length</c>; anything beyond is zero.</summary>
    public uint MemorySize
    {
        get => Math.Max(_memorySize, (uint)Bytes.Length);
        init => _memorySize = value;
    }

    /// <summary>The first address after the segment.</summary>
    public ulong EndAddress => (ulong)Address + MemorySize;

    /// <summary>True if <paramref name="address"/> lies inside the segment.</summary>
    public bool Contains(uint address) => address >= Address && address < EndAddress;
}
