using VirtLab.Machine;

namespace VirtLab.Memory;

/// <summary>
/// One VM's guest-physical memory: an <see cref="AddressSpace"/> over the host's RAM whose page
/// map is the second-stage translation (guest page → host frame), filled lazily. The first touch
/// of a guest page faults to <see cref="OnGuestPageFault"/>, which takes a zeroed frame from the
/// <see cref="FrameAllocator"/> and maps it. So <see cref="MappedPages"/> is the memory the guest
/// really uses, measured rather than assumed.
/// <para>
/// Extension points for memory overcommit: <see cref="Reclaim"/> takes a frame away (the next touch
/// faults it back in: the hook a balloon driver or host swapping needs), and
/// <see cref="BeforeAllocate"/> lets a policy supply the frame itself (swap-in, a shared
/// copy-on-write frame) instead of a fresh zeroed one.
/// </para>
/// </summary>
public sealed class GuestMemory
{
    private readonly FrameAllocator _frames;

    /// <summary>Creates the memory of VM <paramref name="owner"/> with <paramref name="pages"/> guest pages at 0x80000000; nothing is mapped yet.</summary>
    public GuestMemory(FrameAllocator frames, int owner, int pages)
    {
        _frames = frames;
        Owner = owner;
        Space = new AddressSpace(frames.Memory, GuestPhysicalAddress.RamBase, pages) { PageFaultHandler = OnGuestPageFault };
    }

    /// <summary>The VM id that owns the frames.</summary>
    public int Owner { get; }

    /// <summary>The address space the VM's vCPUs load, store and fetch through.</summary>
    public AddressSpace Space { get; }

    /// <summary>Guest pages in the configured memory.</summary>
    public int Pages => Space.PageCount;

    /// <summary>Guest pages that currently have a host frame behind them.</summary>
    public int MappedPages { get; private set; }

    /// <summary>Second-stage faults taken so far (first touches and re-faults after reclaim).</summary>
    public long Faults { get; private set; }

    /// <summary>Faults that could not be served because the host had no free frame.</summary>
    public long FailedFaults { get; private set; }

    /// <summary>Called on each fault, after it was served, so the hypervisor can count and charge it as a VM exit.</summary>
    public Action<int, MemoryAccess>? FaultObserver { get; set; }

    /// <summary>
    /// Optional policy hook: returns a frame to map for the faulting page (already owned by this VM),
    /// or -1 to allocate a fresh zeroed frame. For swap-in and page sharing later.
    /// </summary>
    public Func<int, MemoryAccess, int>? BeforeAllocate { get; set; }

    /// <summary>The host frame behind guest page <paramref name="page"/>, or -1.</summary>
    public int FrameOf(int page) => Space.FrameOf(page);

    private bool OnGuestPageFault(int page, MemoryAccess access)
    {
        if (Space.IsMapped(page)) return false;   // a write to a read-only page: not ours to fix yet
        Faults++;
        int frame = BeforeAllocate?.Invoke(page, access) ?? -1;
        if (frame < 0) frame = _frames.Allocate(Owner);
        if (frame < 0) { FailedFaults++; return false; }   // host out of memory: the access faults in the guest
        Space.Map(page, frame, writable: true);
        MappedPages++;
        FaultObserver?.Invoke(page, access);
        return true;
    }

    /// <summary>Takes the frame away from a guest page and frees it; the next touch faults a fresh one in. Returns the frame, or -1.</summary>
    public int Reclaim(int page)
    {
        int frame = Space.FrameOf(page);
        if (frame < 0) return -1;
        Space.Unmap(page);
        MappedPages--;
        _frames.Release(frame, Owner);
        return frame;
    }

    /// <summary>Frees every frame (VM destroyed or reset).</summary>
    public void ReleaseAll()
    {
        for (int page = 0; page < Pages; page++) Reclaim(page);
    }
}
