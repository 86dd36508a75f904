using VirtLab.Machine;

namespace VirtLab.Memory;

/// <summary>
/// Content-based page sharing (ESX): a background scan hashes guest pages; when a page's hash
/// matches a shared frame (or an earlier candidate page) and a full byte-for-byte compare confirms
/// it, the page is mapped read-only to the one shared frame and its own frame is freed. A guest
/// write to a shared page faults, and <see cref="GuestMemory"/> gives it a private copy
/// (copy-on-write). Zero pages are shared like any other content.
/// Shared frames belong to <see cref="FrameAllocator.SharedOwner"/>; each carries a count of the
/// guest pages mapped to it.
/// </summary>
public sealed class PageSharing
{
    private readonly FrameAllocator _frames;
    private readonly Dictionary<ulong, int> _sharedByHash = new();              // hash -> shared frame
    private readonly Dictionary<int, (ulong Hash, int Refs)> _shared = new();   // shared frame -> hash, mapped pages
    private readonly Dictionary<ulong, (GuestMemory Memory, int Page)> _hints = new();

    public PageSharing(FrameAllocator frames) => _frames = frames;

    /// <summary>Frames currently shared.</summary>
    public int SharedFrames => _shared.Count;

    /// <summary>Guest pages mapped to shared frames (all VMs).</summary>
    public int SharingPages => _shared.Values.Sum(s => s.Refs);

    /// <summary>Frames saved: pages mapped to shared frames minus the shared frames themselves.</summary>
    public int SavedFrames => SharingPages - SharedFrames;

    /// <summary>Guest pages mapped to shared frame <paramref name="frame"/> (0 if it is not shared).</summary>
    public int RefsOf(int frame) => _shared.TryGetValue(frame, out var s) ? s.Refs : 0;

    /// <summary>64-bit FNV-1a over the page.</summary>
    public static ulong Hash(ReadOnlySpan<byte> page)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in page) { h ^= b; h *= 1099511628211UL; }
        return h;
    }

    /// <summary>
    /// Scans <paramref name="count"/> random mapped pages of random VMs and shares those whose
    /// contents match. Must run while no hart executes. Returns how many pages became shared.
    /// </summary>
    public int Scan(IReadOnlyList<GuestMemory> vms, int count, Random random)
    {
        int shared = 0;
        for (int i = 0; i < count && vms.Count > 0; i++)
        {
            var m = vms[random.Next(vms.Count)];
            int page = random.Next(m.Pages);
            if (m.StateOf(page) != PageState.Mapped) continue;
            if (TryShare(m, page)) shared++;
        }
        return shared;
    }

    /// <summary>Tries to share one mapped page; true if it is now mapped to a shared frame.</summary>
    public bool TryShare(GuestMemory m, int page)
    {
        if (m.StateOf(page) != PageState.Mapped) return false;
        var bytes = _frames.Memory.Frame(m.FrameOf(page));
        ulong hash = Hash(bytes);
        if (_sharedByHash.TryGetValue(hash, out int frame))
        {
            if (!bytes.SequenceEqual(_frames.Memory.Frame(frame))) return false;   // a hash collision: leave it alone
            m.ShareInto(page, frame);
            _shared[frame] = (hash, _shared[frame].Refs + 1);
            return true;
        }
        if (_hints.TryGetValue(hash, out var hint) && !(hint.Memory == m && hint.Page == page))
        {
            _hints.Remove(hash);
            if (hint.Memory.StateOf(hint.Page) == PageState.Mapped && bytes.SequenceEqual(_frames.Memory.Frame(hint.Memory.FrameOf(hint.Page))))
            {
                // The candidate's frame becomes the shared frame; this page joins it.
                int f = hint.Memory.PromoteToShared(hint.Page);
                _sharedByHash[hash] = f;
                _shared[f] = (hash, 1);
                m.ShareInto(page, f);
                _shared[f] = (hash, 2);
                return true;
            }
        }
        _hints[hash] = (m, page);
        return false;
    }

    /// <summary>A guest page stopped using shared frame <paramref name="frame"/> (copy-on-write, balloon, VM stopped); frees the frame with its last user.</summary>
    internal void Unref(int frame)
    {
        var (hash, refs) = _shared[frame];
        if (refs > 1) { _shared[frame] = (hash, refs - 1); return; }
        _shared.Remove(frame);
        _sharedByHash.Remove(hash);
        _frames.Release(frame, FrameAllocator.SharedOwner);
    }
}
