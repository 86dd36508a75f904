using VirtLab.Machine;

namespace VirtLab.Memory;

/// <summary>
/// Hands out the host's physical frames and remembers who owns each one. It is the single place
/// where frames change hands, so memory isolation follows from it: a frame belongs to at most one
/// owner, and a frame is zeroed before it is given to a new owner, so no VM ever sees another VM's
/// bytes. (Page sharing, added later, will be the one deliberate exception: a shared frame is
/// mapped read-only and copied on write.)
/// </summary>
public sealed class FrameAllocator
{
    /// <summary>Owner id meaning "free".</summary>
    public const int Free = -1;
    /// <summary>Owner id of frames reserved by the host itself (hypervisor, host OS).</summary>
    public const int HostOwner = -2;
    /// <summary>Owner id of frames shared copy-on-write by several guest pages (<see cref="PageSharing"/>).</summary>
    public const int SharedOwner = -3;

    private readonly int[] _owner;
    private readonly Stack<int> _free = new();

    public FrameAllocator(PhysicalMemory memory)
    {
        Memory = memory;
        _owner = new int[memory.FrameCount];
        Array.Fill(_owner, Free);
        // Lowest frame numbers come out first, so runs are easy to read and repeatable.
        for (int f = memory.FrameCount - 1; f >= 0; f--) _free.Push(f);
    }

    /// <summary>The host RAM the frames are cut from.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>Frames not owned by anyone.</summary>
    public int FreeFrames => _free.Count;

    /// <summary>All frames.</summary>
    public int TotalFrames => Memory.FrameCount;

    /// <summary>Who owns <paramref name="frame"/> (a VM id, <see cref="HostOwner"/> or <see cref="Free"/>).</summary>
    public int OwnerOf(int frame) => _owner[frame];

    /// <summary>Allocates a zeroed frame for <paramref name="owner"/>; returns -1 when host memory is exhausted.</summary>
    public int Allocate(int owner)
    {
        if (_free.Count == 0) return -1;
        int frame = _free.Pop();
        _owner[frame] = owner;
        Memory.Frame(frame).Clear();
        return frame;
    }

    /// <summary>
    /// Reserves <paramref name="count"/> frames for the host itself; returns how many it got. They are
    /// not zeroed: the host's own frames are never mapped into a VM, and zeroing them would touch every
    /// page of a Type 2 host's 16 MiB for the host OS, which costs more than the rest of a short run.
    /// </summary>
    public int Reserve(int count)
    {
        int got = 0;
        for (; got < count && _free.Count > 0; got++) _owner[_free.Pop()] = HostOwner;
        return got;
    }

    /// <summary>Hands a frame from one owner to another without freeing it (a private page becoming a shared one).</summary>
    public void Transfer(int frame, int from, int to)
    {
        if (_owner[frame] != from)
            throw new InvalidOperationException($"frame {frame} belongs to {_owner[frame]}, not {from}");
        _owner[frame] = to;
    }

    /// <summary>Returns a frame to the pool. Only its owner may free it.</summary>
    public void Release(int frame, int owner)
    {
        if (_owner[frame] != owner)
            throw new InvalidOperationException($"frame {frame} belongs to {_owner[frame]}, not {owner}");
        _owner[frame] = Free;
        _free.Push(frame);
    }
}
