using VirtLab.Machine.Devices;

namespace VirtLab.Machine;

/// <summary>
/// What a hart sees when it issues a physical address: a window of RAM at <see cref="RamBase"/>
/// and memory-mapped devices elsewhere.
/// <para>
/// RAM is reached through a page map: entry N says which host frame backs page N of the window,
/// and with what rights. On the bare machine the map is the identity. Under a hypervisor it is the
/// second-stage translation (what x86 calls EPT and RISC-V's H extension calls the G-stage): a
/// guest page with no frame behind it is not present, and touching it asks the
/// <see cref="PageFaultHandler"/> (the hypervisor) to supply one. That is how VirtLab measures the
/// memory a guest really uses instead of assuming it.
/// </para>
/// </summary>
public sealed unsafe class AddressSpace
{
    /// <summary>Page map entry bit: the page is present and may be read and executed.</summary>
    public const uint Readable = 1;
    /// <summary>Page map entry bit: the page may be written (clear for copy-on-write sharing).</summary>
    public const uint Writable = 2;
    /// <summary>
    /// Page map entry bit: stores may take the interpreter's fast path. Cleared while the page holds
    /// pre-decoded instructions or a watched word, so that such stores go the slow way and can
    /// invalidate decoded code or notify a watcher.
    /// </summary>
    internal const uint FastWrite = 4;
    /// <summary>
    /// Page map entry bit: the page has a frame, but its rights are hidden (kept in the bits above,
    /// see <see cref="HiddenRightsShift"/>), so the next access faults to the
    /// <see cref="PageFaultHandler"/> as if the page were not present. That is how a hypervisor
    /// notices that a guest touched a page without hardware accessed bits (see <see cref="Hide"/>).
    /// </summary>
    internal const uint Hidden = 8;
    private const int HiddenRightsShift = 4;
    private const uint Rights = Readable | Writable | FastWrite;
    internal const uint FrameMask = ~PhysicalMemory.PageOffsetMask;

    /// <summary>A mapped device window.</summary>
    public sealed record DeviceMapping(uint Base, IMmioDevice Device);

    private readonly uint[] _pageMap;
    private readonly List<DeviceMapping> _devices = new();
    private readonly Dictionary<uint, Action<uint, uint>> _watches = new();
    private uint[] _watchedWords = [];   // the keys of _watches, for a quick scan on the store path
    internal readonly DecodedCode Code;

    /// <summary>Creates an address space whose RAM window of <paramref name="pageCount"/> pages starts at <paramref name="ramBase"/>; no page is mapped yet.</summary>
    public AddressSpace(PhysicalMemory host, uint ramBase, int pageCount)
    {
        if ((ramBase & PhysicalMemory.PageOffsetMask) != 0)
            throw new ArgumentException($"RAM base 0x{ramBase:x8} is not page aligned", nameof(ramBase));
        if (pageCount <= 0 || (ulong)ramBase + (ulong)pageCount * PhysicalMemory.PageSize > 0x1_0000_0000UL)
            throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, "RAM window must be non-empty and end below 4 GiB");
        Host = host;
        RamBase = ramBase;
        PageCount = pageCount;
        _pageMap = GC.AllocateArray<uint>(pageCount, pinned: true);
        PageMap = (uint*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _pageMap[0]);
        Code = new DecodedCode(pageCount);
    }

    /// <summary>An address space whose RAM maps page N to frame N of <paramref name="host"/>: the bare machine.</summary>
    public static AddressSpace IdentityMapped(PhysicalMemory host, uint ramBase)
    {
        var space = new AddressSpace(host, ramBase, host.FrameCount);
        for (int page = 0; page < host.FrameCount; page++) space.Map(page, page, writable: true);
        return space;
    }

    /// <summary>The host RAM that frames come from.</summary>
    public PhysicalMemory Host { get; }
    /// <summary>First address of the RAM window (0x80000000 on every VirtLab machine).</summary>
    public uint RamBase { get; }
    /// <summary>Pages in the RAM window.</summary>
    public int PageCount { get; }
    /// <summary>Bytes in the RAM window.</summary>
    public uint RamSize => (uint)PageCount * PhysicalMemory.PageSize;
    internal uint* PageMap { get; }

    /// <summary>
    /// Called when an access touches a RAM page that is not present, or writes a page that is not
    /// writable. It returns true once it has fixed the mapping (the access is retried), false to let
    /// the access fault. It also receives the access kind, so a hypervisor can count and charge it.
    /// </summary>
    public Func<int, MemoryAccess, bool>? PageFaultHandler { get; set; }

    /// <summary>
    /// Asks the hart whose load, store or fetch is being served right now to stop after this
    /// instruction: its <see cref="Hart.Run"/> returns, and <see cref="Hart.StoppedAt"/> says which
    /// instruction it was. A device model or the <see cref="PageFaultHandler"/> calls it when the
    /// world outside the hart must see the access at once: a hypervisor turns an MMIO access or a
    /// second-stage page fault into a VM exit this way. A request made while no hart is executing
    /// (the host loading memory itself) stops nothing.
    /// </summary>
    public void RequestStopAfterAccess() => StopRequests++;

    /// <summary>Stops requested so far (<see cref="RequestStopAfterAccess"/>): a hart compares the count before and after each slow-path instruction.</summary>
    internal long StopRequests { get; private set; }

    /// <summary>Devices in address order.</summary>
    public IReadOnlyList<DeviceMapping> Devices => _devices;

    /// <summary>Maps RAM page <paramref name="page"/> to host frame <paramref name="frame"/>.</summary>
    public void Map(int page, int frame, bool writable)
    {
        if ((uint)frame >= (uint)Host.FrameCount) throw new ArgumentOutOfRangeException(nameof(frame));
        _pageMap[page] = ((uint)frame << PhysicalMemory.PageShift) | Readable | (writable ? Writable | FastWrite : 0);
        AfterMappingChange(page);
    }

    /// <summary>Removes the frame behind a page; the next touch of it faults to <see cref="PageFaultHandler"/>.</summary>
    public void Unmap(int page)
    {
        _pageMap[page] = 0;
        AfterMappingChange(page);
    }

    /// <summary>True when the page has a frame behind it (even one hidden by <see cref="Hide"/>).</summary>
    public bool IsMapped(int page) => (_pageMap[page] & (Readable | Hidden)) != 0;

    /// <summary>True when the page can be read without a fault: it has a frame and it is not hidden.</summary>
    public bool IsPresent(int page) => (_pageMap[page] & Readable) != 0;

    /// <summary>True while the page's mapping is hidden by <see cref="Hide"/>.</summary>
    public bool IsHidden(int page) => (_pageMap[page] & Hidden) != 0;

    /// <summary>
    /// Hides a mapped page's rights while keeping its frame: the next load, store or fetch of the
    /// page faults to the <see cref="PageFaultHandler"/>, which can note the touch and call
    /// <see cref="Reveal"/>. Nothing else changes: the frame and its bytes stay where they are.
    /// (Hardware with accessed bits in its second-stage tables does this bookkeeping for free; the
    /// trap is what a hypervisor pays without them.) Does nothing to a page without a frame.
    /// </summary>
    public void Hide(int page)
    {
        uint e = _pageMap[page];
        if ((e & Readable) == 0) return;
        _pageMap[page] = (e & FrameMask) | Hidden | ((e & Rights) << HiddenRightsShift);
    }

    /// <summary>Gives a hidden page its rights back (see <see cref="Hide"/>). Does nothing to a page that is not hidden.</summary>
    public void Reveal(int page)
    {
        uint e = _pageMap[page];
        if ((e & Hidden) == 0) return;
        uint rights = (e >> HiddenRightsShift) & Rights;
        // While hidden the page may have become watched: such stores must stay off the fast path.
        if (_watchedPages.Contains(page) || Code.HasCode(page)) rights &= ~FastWrite;
        _pageMap[page] = (e & FrameMask) | rights;
    }

    /// <summary>True when the page may be written without a fault.</summary>
    public bool IsWritable(int page) => (_pageMap[page] & Writable) != 0;

    /// <summary>The host frame behind a mapped page.</summary>
    public int FrameOf(int page) => IsMapped(page) ? (int)(_pageMap[page] >> PhysicalMemory.PageShift) : -1;

    private void AfterMappingChange(int page)
    {
        // A remapped page may hold other bytes: forget any instructions decoded from it.
        Code.Invalidate(page);
        if (_watchedPages.Contains(page)) _pageMap[page] &= ~FastWrite;
    }

    /// <summary>Attaches a device at <paramref name="baseAddress"/>. Windows may not overlap RAM or each other.</summary>
    public void Attach(uint baseAddress, IMmioDevice device)
    {
        ulong end = (ulong)baseAddress + device.Size;
        if (baseAddress < (ulong)RamBase + RamSize && end > RamBase)
            throw new ArgumentException($"device '{device.Name}' at 0x{baseAddress:x8} overlaps RAM");
        foreach (var m in _devices)
            if (baseAddress < (ulong)m.Base + m.Device.Size && end > m.Base)
                throw new ArgumentException($"device '{device.Name}' at 0x{baseAddress:x8} overlaps '{m.Device.Name}'");
        _devices.Add(new DeviceMapping(baseAddress, device));
        _devices.Sort((a, b) => a.Base.CompareTo(b.Base));
    }

    private readonly HashSet<int> _watchedPages = new();

    /// <summary>fence.i: drops every decoded instruction, so that the next fetch sees memory as it is now.</summary>
    internal void ForgetDecodedCode()
    {
        for (int page = 0; page < PageCount; page++)
        {
            if (!Code.HasCode(page)) continue;
            Code.Invalidate(page);
            if ((_pageMap[page] & Writable) != 0 && !_watchedPages.Contains(page)) _pageMap[page] |= FastWrite;
        }
    }

    /// <summary>
    /// Taken jumps to one instruction after which the code from there is translated to host code
    /// (see <see cref="Translator"/>); 0 turns translation off. Translating costs far more than
    /// interpreting an instruction once, so only code that runs again and again is worth it.
    /// </summary>
    public int TranslationThreshold { get; set; } = DefaultTranslationThreshold;

    /// <summary>
    /// Default <see cref="TranslationThreshold"/>. A translation costs about as much host time as
    /// interpreting some tens of thousands of instructions, so code is translated once a loop has
    /// come round this many times; code that runs fewer times than that is cheaper to interpret.
    /// </summary>
    public const int DefaultTranslationThreshold = 64;

    /// <summary>The decoded slots of a RAM page, for the interpreter. Stores to the page leave the fast path from now on.</summary>
    internal DecodedInstruction* CodePage(int page)
    {
        _pageMap[page] &= ~FastWrite;
        return Code.PageSlots(page);
    }

    /// <summary>
    /// Calls <paramref name="onWrite"/>(address, value) after every store to the 32-bit word at
    /// <paramref name="address"/> (used for HTIF's <c>tohost</c>). Stores to that page leave the fast path.
    /// </summary>
    public void WatchWord(uint address, Action<uint, uint> onWrite)
    {
        uint off = address - RamBase;
        if (off >= RamSize) throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:x8} is not in RAM");
        _watches[address & ~3u] = onWrite;
        _watchedWords = _watches.Keys.ToArray();
        int page = (int)(off >> PhysicalMemory.PageShift);
        _watchedPages.Add(page);
        _pageMap[page] &= ~FastWrite;
    }

    /// <summary>
    /// Reads RAM without side effects, as a hypervisor or a sampler looks at guest memory: only a
    /// present page (not one hidden by <see cref="Hide"/>, whose read would count as a touch), never
    /// a device, never across a page, only naturally aligned. False if the read cannot be done so.
    /// </summary>
    public bool TryPeek(uint address, int size, out uint value)
    {
        value = 0;
        uint off = address - RamBase;
        if (off >= RamSize || (off & (uint)(size - 1)) != 0) return false;
        if (!IsPresent((int)(off >> PhysicalMemory.PageShift))) return false;
        return TryRead(address, size, out value);
    }

    // ---- The slow path: every access the interpreter's fast path declines comes here. ----

    /// <summary>Reads 1, 2 or 4 bytes. Returns false on an access fault (no RAM, no device, or the device refused).</summary>
    public bool TryRead(uint address, int size, out uint value)
    {
        uint off = address - RamBase;
        if (off < RamSize)
        {
            if (((off & PhysicalMemory.PageOffsetMask) + (uint)size) > PhysicalMemory.PageSize)
                return ReadAcrossPages(address, size, out value);
            if (!EnsurePresent(off, MemoryAccess.Read)) { value = 0; return false; }
            byte* p = HostPointer(off);
            value = size switch { 1 => *p, 2 => *(ushort*)p, _ => *(uint*)p };
            return true;
        }
        var device = Find(address, out uint devOffset);
        if (device is null) { value = 0; return false; }
        return device.Read(devOffset, size, out value);
    }

    /// <summary>Writes 1, 2 or 4 bytes. Returns false on an access fault.</summary>
    public bool TryWrite(uint address, int size, uint value)
    {
        uint off = address - RamBase;
        if (off < RamSize)
        {
            if (((off & PhysicalMemory.PageOffsetMask) + (uint)size) > PhysicalMemory.PageSize)
                return WriteAcrossPages(address, size, value);
            if (!EnsurePresent(off, MemoryAccess.Write)) return false;
            int page = (int)(off >> PhysicalMemory.PageShift);
            if (Code.HasCode(page))
            {
                // Self-modifying code: drop decoded instructions of this page; the store then proceeds.
                Code.Invalidate(page);
                if (!_watchedPages.Contains(page)) _pageMap[page] |= FastWrite;
            }
            Store(HostPointer(off), size, value);
            NotifyWatcher(address, off);
            return true;
        }
        var device = Find(address, out uint devOffset);
        return device is not null && device.Write(devOffset, size, value);
    }

    /// <summary>Outcome of <see cref="StoreAside"/>.</summary>
    internal enum AsideStore { Done, DoneEndBlock, NotPlainRam }

    /// <summary>
    /// A store the fast path declined, done without leaving the block when it is a plain RAM store
    /// to a present, writable page that does not overwrite a decoded instruction: the case of a
    /// watched page (the data page that holds <c>tohost</c> usually holds the program's other data
    /// too) and of data that shares a page with code. Reports
    /// <see cref="AsideStore.DoneEndBlock"/> when a watcher ran, since it may have ended the program.
    /// </summary>
    internal AsideStore StoreAside(uint address, int size, uint value)
    {
        uint off = address - RamBase;
        if (off >= RamSize || (off & PhysicalMemory.PageOffsetMask) + (uint)size > PhysicalMemory.PageSize) return AsideStore.NotPlainRam;
        int page = (int)(off >> PhysicalMemory.PageShift);
        if ((_pageMap[page] & Writable) == 0) return AsideStore.NotPlainRam;
        if (Code.HasCode(page))
        {
            // Data beside code on one page: a store that touches no decoded instruction cannot
            // change what runs, so it need not throw the page's decoded code away.
            DecodedInstruction* slots = Code.PageSlots(page);
            uint first = (off & PhysicalMemory.PageOffsetMask) >> 2, last = ((off & PhysicalMemory.PageOffsetMask) + (uint)size - 1) >> 2;
            if (slots[first].Op != Op.Undecoded || slots[last].Op != Op.Undecoded) return AsideStore.NotPlainRam;
        }
        Store(HostPointer(off), size, value);
        return NotifyWatcher(address, off) ? AsideStore.DoneEndBlock : AsideStore.Done;
    }

    private static void Store(byte* p, int size, uint value)
    {
        switch (size) { case 1: *p = (byte)value; break; case 2: *(ushort*)p = (ushort)value; break; default: *(uint*)p = value; break; }
    }

    /// <summary>Calls the watcher of the word at <paramref name="address"/> (RAM offset <paramref name="off"/>), if any; true if one ran.</summary>
    private bool NotifyWatcher(uint address, uint off)
    {
        uint word = address & ~3u;
        foreach (uint watched in _watchedWords)   // usually one or two words: a scan beats a hash lookup
        {
            if (watched != word) continue;
            _watches[word](word, *(uint*)HostPointer(off & ~3u));
            return true;
        }
        return false;
    }

    /// <summary>Fetches an instruction word; false on an access fault.</summary>
    public bool TryFetch(uint address, out uint word)
    {
        uint off = address - RamBase;
        if (off >= RamSize) { word = 0; return false; }   // VirtLab executes from RAM only
        if (!EnsurePresent(off, MemoryAccess.Execute)) { word = 0; return false; }
        word = *(uint*)HostPointer(off);
        return true;
    }

    /// <summary>Copies bytes into RAM (used by loaders). Pages touched are faulted in as needed.</summary>
    public bool TryWriteBytes(uint address, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
            if (!TryWrite(address + (uint)i, 1, bytes[i])) return false;
        return true;
    }

    /// <summary>Copies bytes out of RAM or devices, for inspection; false if any byte cannot be read.</summary>
    public bool TryReadBytes(uint address, Span<byte> into)
    {
        for (int i = 0; i < into.Length; i++)
        {
            if (!TryRead(address + (uint)i, 1, out uint b)) return false;
            into[i] = (byte)b;
        }
        return true;
    }

    private bool ReadAcrossPages(uint address, int size, out uint value)
    {
        value = 0;
        for (int i = 0; i < size; i++)
        {
            if (!TryRead(address + (uint)i, 1, out uint b)) return false;
            value |= b << (8 * i);
        }
        return true;
    }

    private bool WriteAcrossPages(uint address, int size, uint value)
    {
        // Check both pages first, so that a faulting store changes nothing.
        if (!EnsurePresent(address - RamBase, MemoryAccess.Write) || !EnsurePresent(address + (uint)size - 1 - RamBase, MemoryAccess.Write))
            return false;
        for (int i = 0; i < size; i++) TryWrite(address + (uint)i, 1, value >> (8 * i));
        return true;
    }

    private bool EnsurePresent(uint off, MemoryAccess access)
    {
        if (off >= RamSize) return false;
        int page = (int)(off >> PhysicalMemory.PageShift);
        uint need = access == MemoryAccess.Write ? Writable : Readable;
        if ((_pageMap[page] & need) != 0) return true;
        return PageFaultHandler is not null && PageFaultHandler(page, access) && (_pageMap[page] & need) != 0;
    }

    private byte* HostPointer(uint off) =>
        Host.Base + (_pageMap[off >> PhysicalMemory.PageShift] & FrameMask) + (off & PhysicalMemory.PageOffsetMask);

    private IMmioDevice? Find(uint address, out uint offset)
    {
        foreach (var m in _devices)
        {
            if (address - m.Base < m.Device.Size) { offset = address - m.Base; return m.Device; }
        }
        offset = 0;
        return null;
    }
}

/// <summary>The kind of memory access, as a page fault handler sees it.</summary>
public enum MemoryAccess { Read, Write, Execute }
