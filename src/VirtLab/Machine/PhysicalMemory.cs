namespace VirtLab.Machine;

/// <summary>
/// The host's RAM: one pinned block of bytes cut into 4 KiB frames. On the bare machine the
/// address space maps RAM page N to frame N. Under a hypervisor, each VM's guest-physical pages
/// map to whichever frames the hypervisor hands out, so this class knows nothing about who owns
/// a frame; that is the hypervisor's business.
/// </summary>
public sealed unsafe class PhysicalMemory
{
    /// <summary>RISC-V base page size: 4 KiB.</summary>
    public const int PageSize = 4096;
    public const int PageShift = 12;
    public const uint PageOffsetMask = PageSize - 1;

    private readonly byte[] _bytes;

    /// <summary>Creates host RAM of <paramref name="frameCount"/> zeroed frames.</summary>
    public PhysicalMemory(int frameCount)
    {
        if (frameCount <= 0 || frameCount > (1 << 20))
            throw new ArgumentOutOfRangeException(nameof(frameCount), frameCount, "host RAM must have between 1 and 1048576 frames (4 GiB)");
        FrameCount = frameCount;
        // Pinned so the interpreter can keep a raw pointer for the whole run.
        _bytes = GC.AllocateArray<byte>(frameCount * PageSize, pinned: true);
        Base = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _bytes[0]);
    }

    /// <summary>Number of 4 KiB frames.</summary>
    public int FrameCount { get; }

    /// <summary>Size in bytes.</summary>
    public long Size => (long)FrameCount * PageSize;

    internal byte* Base { get; }

    /// <summary>The bytes of one frame, for the hypervisor to copy, compare or hash.</summary>
    public Span<byte> Frame(int frame) => _bytes.AsSpan(frame * PageSize, PageSize);

    /// <summary>All of RAM as a span (for loaders and inspection).</summary>
    public Span<byte> Bytes => _bytes;
}
