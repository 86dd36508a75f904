using VirtLab.Machine.Devices;

namespace VirtLab.Memory;

/// <summary>
/// A virtio-balloon-like device, one per VM, at <see cref="DefaultBase"/>. It is the only channel
/// between the hypervisor's reclamation policy and the guest's balloon driver:
/// <list type="bullet">
/// <item>the host writes <see cref="Target"/>, the number of pages it wants the guest to give up;</item>
/// <item>the guest's driver reads it, picks pages from its own free list, writes their page numbers
/// (guest-physical address / 4096) into an array in its RAM, and rings the doorbell with the array's
/// address, a count of at most <see cref="MaxBatch"/> and the command (inflate or deflate);</item>
/// <item>the guest reports the balloon size it believes it has in <c>ACTUAL</c>.</item>
/// </list>
/// Registers (32-bit, offsets from the base):
/// <c>0x00 ID</c> (reads "BALN"), <c>0x04 TARGET</c> (read-only for the guest), <c>0x08 ACTUAL</c>,
/// <c>0x0C BATCH_ADDR</c>, <c>0x10 BATCH_COUNT</c>, <c>0x14 COMMAND</c> (write 1 = inflate,
/// 2 = deflate: the doorbell), <c>0x18 ACCEPTED</c> (how many numbers of the last batch the host accepted),
/// <c>0x1C FEATURES</c> (bit 0: deflate-on-OOM).
/// The doorbell only records the request; the store is a <c>BalloonDoorbell</c> exit, whose handler
/// carries the request out before the guest's next instruction, validating every page number.
/// </summary>
public sealed class BalloonDevice : IMmioDevice
{
    /// <summary>Where the guest kernel expects the device.</summary>
    public const uint DefaultBase = 0x1000_2000;
    /// <summary>Largest batch of page numbers per doorbell (as virtio-balloon).</summary>
    public const int MaxBatch = 256;
    /// <summary>Register offsets.</summary>
    public const uint RegId = 0x00, RegTarget = 0x04, RegActual = 0x08, RegBatchAddr = 0x0C, RegBatchCount = 0x10,
        RegCommand = 0x14, RegAccepted = 0x18, RegFeatures = 0x1C;
    /// <summary>COMMAND values.</summary>
    public const uint CommandInflate = 1, CommandDeflate = 2;
    /// <summary>"BALN".</summary>
    public const uint Id = 0x4E4C_4142;
    /// <summary>FEATURES bit: the guest may take pages back when it runs out of memory.</summary>
    public const uint FeatureDeflateOnOom = 1;

    private uint _batchAddr, _batchCount;

    public string Name => "vballoon";
    public uint Size => 0x1000;

    /// <summary>Pages the host wants in the balloon (set by the reclamation policy).</summary>
    public uint Target { get; set; }

    /// <summary>Balloon size the guest last reported (its claim; the hypervisor's own count is <see cref="GuestMemory.BalloonedPages"/>).</summary>
    public uint ReportedActual { get; private set; }

    /// <summary>Accepted page numbers of the last batch, as the guest reads it back.</summary>
    public uint LastAccepted { get; set; }

    /// <summary>A doorbell the hypervisor has not handled yet: (command, array address, count).</summary>
    public (uint Command, uint Address, uint Count)? Pending { get; private set; }

    /// <summary>Times the guest read <see cref="Target"/>: evidence that its driver polls.</summary>
    public long TargetReads { get; private set; }

    /// <summary>Takes the pending doorbell, if any.</summary>
    public (uint Command, uint Address, uint Count)? TakePending()
    {
        var p = Pending;
        Pending = null;
        return p;
    }

    public bool Read(uint offset, int size, out uint value)
    {
        value = 0;
        if (size != 4) return false;
        switch (offset)
        {
            case RegId: value = Id; return true;
            case RegTarget: value = Target; TargetReads++; return true;
            case RegActual: value = ReportedActual; return true;
            case RegBatchAddr: value = _batchAddr; return true;
            case RegBatchCount: value = _batchCount; return true;
            case RegAccepted: value = LastAccepted; return true;
            case RegFeatures: value = FeatureDeflateOnOom; return true;
            case RegCommand: return true;
            default: return false;
        }
    }

    public bool Write(uint offset, int size, uint value)
    {
        if (size != 4) return false;
        switch (offset)
        {
            case RegActual: ReportedActual = value; return true;
            case RegBatchAddr: _batchAddr = value; return true;
            case RegBatchCount: _batchCount = value; return true;
            case RegCommand: Pending = (value, _batchAddr, _batchCount); return true;
            case RegTarget or RegId or RegAccepted or RegFeatures: return true;   // read-only: ignored
            default: return false;
        }
    }
}
