using VirtLab.Machine;

namespace VirtLab.Memory;

/// <summary>
/// The host's swap area: where the hypervisor puts the contents of guest pages whose frames it
/// took away without the guest's help (host swapping, the fallback when ballooning is unavailable
/// or too slow). A slot holds exactly one 4 KiB page, copied byte for byte, so a page swapped out
/// and back in is bit-for-bit the same. The area is modelled in host memory outside guest RAM (a
/// swap file on the host's disk); what makes swapping expensive is the stall charged on swap-in
/// (<see cref="Hypervisor.CostModel.SwapInCycles"/>), not where the bytes are kept.
/// </summary>
public sealed class HostSwapArea
{
    private readonly List<byte[]?> _slots = new();
    private readonly Stack<int> _freeSlots = new();

    /// <summary>Creates a swap area of at most <paramref name="capacityPages"/> pages.</summary>
    public HostSwapArea(int capacityPages) => CapacityPages = capacityPages;

    /// <summary>Largest number of pages the area holds at once.</summary>
    public int CapacityPages { get; }

    /// <summary>Slots in use.</summary>
    public int UsedPages { get; private set; }

    /// <summary>True if one more page fits.</summary>
    public bool HasRoom => UsedPages < CapacityPages;

    /// <summary>Copies <paramref name="page"/> (4 KiB) into a free slot and returns the slot number, or -1 if the area is full.</summary>
    public int Store(ReadOnlySpan<byte> page)
    {
        if (page.Length != PhysicalMemory.PageSize) throw new ArgumentException("a swap slot holds exactly one page", nameof(page));
        if (!HasRoom) return -1;
        int slot;
        if (_freeSlots.Count > 0) slot = _freeSlots.Pop();
        else { slot = _slots.Count; _slots.Add(null); }
        _slots[slot] = page.ToArray();
        UsedPages++;
        return slot;
    }

    /// <summary>Copies slot <paramref name="slot"/> into <paramref name="page"/> and frees the slot.</summary>
    public void LoadAndFree(int slot, Span<byte> page)
    {
        var bytes = _slots[slot] ?? throw new InvalidOperationException($"swap slot {slot} is empty");
        bytes.CopyTo(page);
        Free(slot);
    }

    /// <summary>Reads the 32-bit word at byte <paramref name="offset"/> of slot <paramref name="slot"/> without freeing it (the host inspecting a swapped-out page).</summary>
    public uint PeekWord(int slot, int offset) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian((_slots[slot] ?? throw new InvalidOperationException($"swap slot {slot} is empty")).AsSpan(offset, 4));

    /// <summary>Frees a slot without reading it (the page was ballooned or its VM stopped).</summary>
    public void Free(int slot)
    {
        if (_slots[slot] is null) throw new InvalidOperationException($"swap slot {slot} is already free");
        _slots[slot] = null;
        _freeSlots.Push(slot);
        UsedPages--;
    }

    /// <summary>True if the slot holds a page (for invariant checks).</summary>
    public bool IsUsed(int slot) => slot >= 0 && slot < _slots.Count && _slots[slot] is not null;
}
