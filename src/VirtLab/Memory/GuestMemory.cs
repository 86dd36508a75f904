using VirtLab.Machine;

namespace VirtLab.Memory;

/// <summary>Where the contents of one guest page live right now.</summary>
public enum PageState : byte
{
    /// <summary>No frame and nothing saved: the guest never touched it (or it was reclaimed). A touch maps a zeroed frame.</summary>
    Untouched,
    /// <summary>A host frame backs the page.</summary>
    Mapped,
    /// <summary>The guest's balloon driver gave the page to the host: no frame, contents discarded.</summary>
    Ballooned,
    /// <summary>The hypervisor paged it out to the host swap area: no frame, contents kept in a swap slot.</summary>
    Swapped,
    /// <summary>Mapped read-only to a frame shared with identical pages (<see cref="PageSharing"/>); a write copies it.</summary>
    Shared,
}

/// <summary>Why the hypervisor refused one page number of a balloon report.</summary>
/// <param name="Command">"inflate" or "deflate".</param>
/// <param name="PageNumber">The guest-physical page number (address / 4096) as the guest reported it.</param>
/// <param name="Reason">What was wrong with it.</param>
public sealed record BalloonRejection(string Command, uint PageNumber, string Reason);

/// <summary>
/// One VM's guest-physical memory: an <see cref="AddressSpace"/> over the host's RAM whose page
/// map is the second-stage translation (guest page → host frame), filled lazily. The first touch
/// of a guest page faults to the hypervisor, which takes a zeroed frame from the
/// <see cref="FrameAllocator"/> and maps it. So <see cref="MappedPages"/> is the memory the guest
/// really uses, measured rather than assumed.
/// <para>
/// Memory overcommit works on the <see cref="PageState"/> of each page:
/// <list type="bullet">
/// <item><b>Ballooning</b> (<see cref="Inflate"/>, <see cref="Deflate"/>): the guest's own driver
/// picks pages it does not need and reports their numbers; the hypervisor validates every number
/// (it never guesses inside the guest), frees the frames behind accepted pages, and backs them
/// again when the guest takes them back. Bad numbers are rejected and recorded in
/// <see cref="Rejections"/>; they can never touch another VM's frames.</item>
/// <item><b>Host swapping</b> (<see cref="SwapOut"/>, <see cref="SwapOutRandom"/>): the hypervisor
/// copies a page to the <see cref="HostSwapArea"/> and frees its frame without asking the guest.
/// The next guest touch faults, the page is copied back bit for bit, and the vCPU pays a stall.</item>
/// </list>
/// </para>
/// </summary>
public sealed class GuestMemory
{
    /// <summary>Guest-physical page number of the first RAM page (0x80000000 / 4096).</summary>
    public const uint FirstPageNumber = GuestPhysicalAddress.RamBase >> PhysicalMemory.PageShift;

    /// <summary>Rejections kept in <see cref="Rejections"/>; later ones are only counted.</summary>
    public const int MaxRecordedRejections = 256;

    private readonly FrameAllocator _frames;
    private readonly PageState[] _state;
    private readonly int[] _swapSlot;
    private readonly List<BalloonRejection> _rejections = new();
    private readonly TouchWatch[] _watch;

    // A page in an active-memory sample: watched from WatchForTouch until StopWatching.
    private enum TouchWatch : byte { None, Untouched, Touched }

    /// <summary>Creates the memory of VM <paramref name="owner"/> with <paramref name="pages"/> guest pages at 0x80000000; nothing is mapped yet.</summary>
    /// <param name="frames">The host's frame allocator.</param>
    /// <param name="owner">The VM id that will own the frames.</param>
    /// <param name="pages">Configured size (the VM's max).</param>
    /// <param name="swap">The host swap area, or null if this host does not swap.</param>
    public GuestMemory(FrameAllocator frames, int owner, int pages, HostSwapArea? swap = null)
    {
        _frames = frames;
        Owner = owner;
        Swap = swap;
        _state = new PageState[pages];
        _swapSlot = new int[pages];
        _watch = new TouchWatch[pages];
        Array.Fill(_swapSlot, -1);
        Space = new AddressSpace(frames.Memory, GuestPhysicalAddress.RamBase, pages) { PageFaultHandler = OnGuestPageFault };
    }

    /// <summary>The VM id that owns the frames.</summary>
    public int Owner { get; }

    /// <summary>The address space the VM's vCPUs load, store and fetch through.</summary>
    public AddressSpace Space { get; }

    /// <summary>The host swap area pages are paged out to (null: this host does not swap).</summary>
    public HostSwapArea? Swap { get; }

    /// <summary>Guest pages in the configured memory (the VM's max: it can never hold more frames than this).</summary>
    public int Pages => Space.PageCount;

    /// <summary>Guest pages that currently have a host frame behind them.</summary>
    public int MappedPages { get; private set; }

    /// <summary>Pages mapped read-only to a shared frame (not counted in <see cref="MappedPages"/>).</summary>
    public int SharedPages { get; private set; }

    /// <summary>Copy-on-write faults: guest writes that broke sharing.</summary>
    public long CopyOnWrites { get; private set; }

    /// <summary>The host's page-sharing table (null: no sharing).</summary>
    public PageSharing? Sharing { get; set; }

    /// <summary>Pages the guest's balloon driver has given to the host (accepted reports only).</summary>
    public int BalloonedPages { get; private set; }

    /// <summary>Pages whose contents are in the host swap area.</summary>
    public int SwappedPages { get; private set; }

    /// <summary>Second-stage faults taken so far (first touches, swap-ins, re-faults after reclaim).</summary>
    public long Faults { get; private set; }

    /// <summary>Faults that could not be served because the host had no free frame.</summary>
    public long FailedFaults { get; private set; }

    /// <summary>Pages copied out to the swap area.</summary>
    public long SwapOuts { get; private set; }

    /// <summary>Pages copied back in from the swap area on a guest touch.</summary>
    public long SwapIns { get; private set; }

    /// <summary>Page numbers accepted into the balloon (inflate) and out of it (deflate), over the whole run.</summary>
    public long InflatedTotal { get; private set; }
    /// <summary>See <see cref="InflatedTotal"/>.</summary>
    public long DeflatedTotal { get; private set; }

    /// <summary>
    /// Host frames the balloon gave back: inflated pages that had a frame of their own behind them.
    /// An inflated page the guest never touched frees nothing, so this, not <see cref="InflatedTotal"/>,
    /// is the memory ballooning actually reclaimed (compare <see cref="SwapOuts"/>, one frame each).
    /// </summary>
    public long BalloonFreedFrames { get; private set; }

    /// <summary>Touches of a page the guest had put in the balloon (a driver bug): served with a fresh zeroed frame, the page leaves the balloon.</summary>
    public long BalloonedPageTouches { get; private set; }

    /// <summary>All page numbers rejected so far (the first <see cref="MaxRecordedRejections"/> are in <see cref="Rejections"/>).</summary>
    public long RejectedTotal { get; private set; }

    /// <summary>Rejected page numbers of balloon reports and why.</summary>
    public IReadOnlyList<BalloonRejection> Rejections => _rejections;

    /// <summary>Called on each fault, after it was served, so the hypervisor can count and charge it as a VM exit.</summary>
    public Action<int, MemoryAccess>? FaultObserver { get; set; }

    /// <summary>Called when the guest touched a page hidden by <see cref="WatchForTouch"/> (a cheap fault: no frame to find), with the page and the kind of access, so the hypervisor can charge the exit.</summary>
    public Action<int, MemoryAccess>? TouchObserver { get; set; }

    /// <summary>Faults taken only because a page was hidden to notice a touch (see <see cref="WatchForTouch"/>).</summary>
    public long TouchFaults { get; private set; }

    /// <summary>Called after a page was swapped back in on a guest touch, so the hypervisor can stall the vCPU.</summary>
    public Action<int>? SwapInObserver { get; set; }

    /// <summary>
    /// Called when a fault finds no free host frame, before it gives up: a hypervisor policy may
    /// free one (for example by swapping out a page of another VM). Returns true if it freed something.
    /// </summary>
    public Func<GuestMemory, bool>? OnHostOutOfFrames { get; set; }

    /// <summary>
    /// Optional policy hook: returns a frame to map for the faulting page (already owned by this VM),
    /// or -1 to allocate a fresh zeroed frame. For page sharing later.
    /// </summary>
    public Func<int, MemoryAccess, int>? BeforeAllocate { get; set; }

    /// <summary>The host frame behind guest page <paramref name="page"/>, or -1.</summary>
    public int FrameOf(int page) => Space.FrameOf(page);

    /// <summary>Where page <paramref name="page"/>'s contents are.</summary>
    public PageState StateOf(int page) => _state[page];

    /// <summary>
    /// Counts the pages in <paramref name="state"/> by walking the page-state array. The counters
    /// (<see cref="MappedPages"/>, <see cref="BalloonedPages"/>, ...) are kept up to date on every
    /// transition; this count is the independent reading that checks them, and the only source
    /// for <see cref="PageState.Untouched"/>, which has no counter of its own.
    /// </summary>
    public int CountPages(PageState state)
    {
        int n = 0;
        foreach (var s in _state) if (s == state) n++;
        return n;
    }

    /// <summary>The swap slot holding page <paramref name="page"/>, or -1.</summary>
    public int SwapSlotOf(int page) => _swapSlot[page];

    private bool OnGuestPageFault(int page, MemoryAccess access)
    {
        // Any fault on a watched page means the guest touched it in this sampling period.
        if (_watch[page] == TouchWatch.Untouched) { _watch[page] = TouchWatch.Touched; WatchedPagesTouched++; }
        if (Space.IsHidden(page))
        {
            // The page was hidden only so that this touch would be noticed: give its rights back.
            Space.Reveal(page);
            TouchFaults++;
            TouchObserver?.Invoke(page, access);
            if (access != MemoryAccess.Write || Space.IsWritable(page)) return true;
            // A write to a shared (read-only) page: go on to copy-on-write below.
        }
        if (Space.IsMapped(page))
        {
            if (_state[page] != PageState.Shared || access != MemoryAccess.Write) return false;
            return BreakSharing(page);
        }
        Faults++;
        int frame = BeforeAllocate?.Invoke(page, access) ?? -1;
        if (frame < 0) frame = AllocateFrame();
        if (frame < 0) { FailedFaults++; return false; }   // host out of memory: the access faults in the guest
        bool swappedIn = false;
        switch (_state[page])
        {
            case PageState.Swapped:
                Swap!.LoadAndFree(_swapSlot[page], _frames.Memory.Frame(frame));
                _swapSlot[page] = -1;
                SwappedPages--;
                SwapIns++;
                swappedIn = true;
                break;
            case PageState.Ballooned:
                BalloonedPages--;
                BalloonedPageTouches++;
                break;
        }
        _state[page] = PageState.Mapped;
        Space.Map(page, frame, writable: true);
        MappedPages++;
        FaultObserver?.Invoke(page, access);
        if (swappedIn) SwapInObserver?.Invoke(page);
        return true;
    }

    private int AllocateFrame()
    {
        int frame = _frames.Allocate(Owner);
        if (frame < 0 && OnHostOutOfFrames is { } policy && policy(this)) frame = _frames.Allocate(Owner);
        return frame;
    }

    // Copy-on-write: a private copy of the shared frame, mapped writable.
    private bool BreakSharing(int page)
    {
        int shared = Space.FrameOf(page);
        int frame = AllocateFrame();
        if (frame < 0) { FailedFaults++; return false; }
        _frames.Memory.Frame(shared).CopyTo(_frames.Memory.Frame(frame));
        Space.Map(page, frame, writable: true);
        SharedPages--;
        MappedPages++;
        _state[page] = PageState.Mapped;
        CopyOnWrites++;
        Sharing!.Unref(shared);
        FaultObserver?.Invoke(page, MemoryAccess.Write);
        return true;
    }

    /// <summary>Maps <paramref name="page"/> read-only to the shared frame <paramref name="frame"/> and frees its own frame (called by <see cref="PageSharing"/>).</summary>
    internal void ShareInto(int page, int frame)
    {
        _frames.Release(Space.FrameOf(page), Owner);
        MapFrame(page, frame, writable: false);
        MappedPages--;
        SharedPages++;
        _state[page] = PageState.Shared;
    }

    /// <summary>Turns <paramref name="page"/>'s own frame into a shared frame, mapped read-only (called by <see cref="PageSharing"/>).</summary>
    internal int PromoteToShared(int page)
    {
        int frame = Space.FrameOf(page);
        _frames.Transfer(frame, Owner, FrameAllocator.SharedOwner);
        MapFrame(page, frame, writable: false);
        MappedPages--;
        SharedPages++;
        _state[page] = PageState.Shared;
        return frame;
    }

    private void DropShared(int page)
    {
        int frame = Space.FrameOf(page);
        Space.Unmap(page);
        SharedPages--;
        _state[page] = PageState.Untouched;
        Sharing!.Unref(frame);
    }

    /// <summary>Takes the frame away from a guest page and frees it, discarding its contents; the next touch faults a fresh one in. Returns the frame, or -1.</summary>
    public int Reclaim(int page)
    {
        int frame = Space.FrameOf(page);
        if (frame < 0) return -1;
        if (_state[page] == PageState.Shared) { DropShared(page); return frame; }
        Space.Unmap(page);
        MappedPages--;
        _state[page] = PageState.Untouched;
        _frames.Release(frame, Owner);
        return frame;
    }

    // ------------------------------------------------------------------ noticing touches

    /// <summary>
    /// Starts watching page <paramref name="page"/> for a guest touch (for the active-memory
    /// estimate). A mapped page is hidden (<see cref="AddressSpace.Hide"/>), so the guest's next
    /// access of it faults to the hypervisor, which notes the touch and maps it back; a page without
    /// a frame faults on its next touch anyway. Must not be called while a hart is executing.
    /// </summary>
    public void WatchForTouch(int page)
    {
        _watch[page] = TouchWatch.Untouched;
        Space.Hide(page);
    }

    /// <summary>Watched pages the guest has touched so far (the running count of the current sample).</summary>
    public int WatchedPagesTouched { get; private set; }

    /// <summary>Stops watching <paramref name="page"/> and returns true if the guest touched it since <see cref="WatchForTouch"/>.</summary>
    public bool StopWatching(int page)
    {
        bool touched = _watch[page] == TouchWatch.Touched;
        if (touched) WatchedPagesTouched--;
        _watch[page] = TouchWatch.None;
        Space.Reveal(page);
        return touched;
    }

    // The host re-maps a page (sharing, deflate): a page still waiting for its touch is hidden
    // again, or the guest's next access would go unnoticed.
    private void MapFrame(int page, int frame, bool writable)
    {
        Space.Map(page, frame, writable);
        if (_watch[page] == TouchWatch.Untouched) Space.Hide(page);
    }

    /// <summary>
    /// Reads the 32-bit word at guest-physical <paramref name="address"/> as the host, without a fault
    /// and without counting as a guest touch: a swapped-out page is read in the swap area; 0 if the
    /// page holds nothing (never touched, ballooned) or the address is not RAM.
    /// </summary>
    public uint PeekWord(uint address)
    {
        uint off = address - GuestPhysicalAddress.RamBase;
        if (off >= (uint)Pages * PhysicalMemory.PageSize || (off & PhysicalMemory.PageOffsetMask) > PhysicalMemory.PageSize - 4) return 0;
        int page = (int)(off >> PhysicalMemory.PageShift), frame = FrameOf(page);
        if (_state[page] == PageState.Swapped) return Swap!.PeekWord(_swapSlot[page], (int)(off & PhysicalMemory.PageOffsetMask));
        if (frame < 0) return 0;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_frames.Memory.Frame(frame)[(int)(off & PhysicalMemory.PageOffsetMask)..]);
    }

    // ------------------------------------------------------------------ host swapping

    /// <summary>
    /// Pages out guest page <paramref name="page"/>: copies its frame to the swap area, unmaps it and
    /// frees the frame. Returns false if the page has no frame or the swap area is full.
    /// Must not be called while a hart is executing in this address space.
    /// </summary>
    public bool SwapOut(int page)
    {
        if (Swap is null || _state[page] != PageState.Mapped) return false;
        int frame = Space.FrameOf(page);
        int slot = Swap.Store(_frames.Memory.Frame(frame));
        if (slot < 0) return false;
        Space.Unmap(page);
        _frames.Release(frame, Owner);
        MappedPages--;
        _state[page] = PageState.Swapped;
        _swapSlot[page] = slot;
        SwappedPages++;
        SwapOuts++;
        return true;
    }

    /// <summary>
    /// Swaps out up to <paramref name="count"/> mapped pages chosen at random (as ESX does, so as not
    /// to fight the guest's own LRU), never taking the VM below <paramref name="keepPages"/> mapped pages.
    /// Returns how many were swapped out.
    /// </summary>
    public int SwapOutRandom(int count, Random random, int keepPages = 0)
    {
        int done = 0;
        while (done < count && MappedPages > keepPages && Swap is { HasRoom: true })
        {
            // Draw a random page; if it has no frame, walk on to the next one that has (there is one: MappedPages > 0).
            int start = random.Next(Pages), page = start;
            while (_state[page] != PageState.Mapped) page = (page + 1) % Pages;
            if (!SwapOut(page)) break;
            done++;
        }
        return done;
    }

    // ------------------------------------------------------------------ ballooning

    private bool Check(string command, uint pageNumber, out int page)
    {
        page = (int)(pageNumber - FirstPageNumber);
        if (pageNumber < FirstPageNumber || pageNumber - FirstPageNumber >= (uint)Pages)
        {
            Reject(command, pageNumber, $"page number 0x{pageNumber:x} is outside this VM's RAM (0x{FirstPageNumber:x}..0x{FirstPageNumber + (uint)Pages - 1:x})");
            return false;
        }
        return true;
    }

    /// <summary>Records a rejected page number (0 for a malformed batch) and why.</summary>
    internal void Reject(string command, uint pageNumber, string reason)
    {
        RejectedTotal++;
        if (_rejections.Count < MaxRecordedRejections) _rejections.Add(new BalloonRejection(command, pageNumber, reason));
    }

    /// <summary>
    /// The guest's driver gives pages to the host. Each page number (guest-physical address / 4096)
    /// is checked: it must lie in this VM's RAM and not be in the balloon already. Accepted pages
    /// lose their frame (or swap slot); their contents are discarded. Returns how many were accepted.
    /// Must not be called while a hart is executing in this address space.
    /// </summary>
    public int Inflate(ReadOnlySpan<uint> pageNumbers)
    {
        int accepted = 0;
        foreach (uint pn in pageNumbers)
        {
            if (!Check("inflate", pn, out int page)) continue;
            switch (_state[page])
            {
                case PageState.Ballooned:
                    Reject("inflate", pn, "page is already in the balloon");
                    continue;
                case PageState.Mapped:
                    _frames.Release(Space.FrameOf(page), Owner);
                    Space.Unmap(page);
                    MappedPages--;
                    BalloonFreedFrames++;
                    break;
                case PageState.Swapped:
                    Swap!.Free(_swapSlot[page]);
                    _swapSlot[page] = -1;
                    SwappedPages--;
                    break;
                case PageState.Shared:
                    DropShared(page);
                    break;
            }
            _state[page] = PageState.Ballooned;
            // The driver touched the page only to give it away (our guest links free pages through
            // their first word): by the guest's own report it is not in use, so it is not active.
            if (_watch[page] == TouchWatch.Touched) { _watch[page] = TouchWatch.Untouched; WatchedPagesTouched--; }
            BalloonedPages++;
            InflatedTotal++;
            accepted++;
        }
        return accepted;
    }

    /// <summary>
    /// The guest's driver takes pages back from the host. Each page number must lie in this VM's RAM
    /// and be in the balloon. Accepted pages are backed again at once with a zeroed frame when the
    /// host has one (otherwise on the guest's next touch). Returns how many were accepted.
    /// </summary>
    public int Deflate(ReadOnlySpan<uint> pageNumbers)
    {
        int accepted = 0;
        foreach (uint pn in pageNumbers)
        {
            if (!Check("deflate", pn, out int page)) continue;
            if (_state[page] != PageState.Ballooned) { Reject("deflate", pn, "page is not in the balloon"); continue; }
            BalloonedPages--;
            DeflatedTotal++;
            accepted++;
            int frame = _frames.Allocate(Owner);
            if (frame < 0) { _state[page] = PageState.Untouched; continue; }
            MapFrame(page, frame, writable: true);
            MappedPages++;
            _state[page] = PageState.Mapped;
        }
        return accepted;
    }

    /// <summary>Frees every frame and swap slot (VM destroyed or reset).</summary>
    public void ReleaseAll()
    {
        for (int page = 0; page < Pages; page++)
        {
            if (_state[page] == PageState.Swapped) { Swap!.Free(_swapSlot[page]); _swapSlot[page] = -1; SwappedPages--; }
            else if (_state[page] == PageState.Ballooned) BalloonedPages--;
            Reclaim(page);
            _state[page] = PageState.Untouched;
        }
    }
}
