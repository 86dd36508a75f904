using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Tests.Memory;

/// <summary>
/// The frame bookkeeping invariants, checked by walking every frame and every guest page: each
/// frame is free, the host's, shared, or owned by exactly the VM that maps it; counters agree with
/// the page states; no frame or swap slot is used twice; shared frames carry the right counts.
/// </summary>
internal static class FrameAudit
{
    /// <summary>Checks a host: its frames, every VM's memory (stopped ones included), its swap area and sharing table.</summary>
    public static void Check(Host host) =>
        Check(host.Frames, host.Vms.Select(v => v.Memory).ToList(), host.SwapArea, host.Sharing, host.ReservedPages);

    /// <summary>Checks <paramref name="memories"/>, whose owners are 0..n-1 in order, against the frames they are built on.</summary>
    public static void Check(FrameAllocator alloc, IReadOnlyList<GuestMemory> memories, HostSwapArea? swap, PageSharing sharing, int reserved)
    {
        int frames = alloc.TotalFrames;
        var perOwner = new int[memories.Count];
        int free = 0, host = 0, sharedFrames = 0;
        for (int f = 0; f < frames; f++)
        {
            int o = alloc.OwnerOf(f);
            if (o == FrameAllocator.Free) free++;
            else if (o == FrameAllocator.HostOwner) host++;
            else if (o == FrameAllocator.SharedOwner) sharedFrames++;
            else { Assert.InRange(o, 0, memories.Count - 1); perOwner[o]++; }
        }
        Assert.Equal(free, alloc.FreeFrames);
        Assert.Equal(reserved, host);
        var seenFrames = new HashSet<int>();
        var seenSlots = new HashSet<int>();
        var sharedRefs = new Dictionary<int, int>();
        int swapped = 0;
        for (int v = 0; v < memories.Count; v++)
        {
            var m = memories[v];
            Assert.Equal(v, m.Owner);
            int mapped = 0, ballooned = 0, inSwap = 0;
            for (int p = 0; p < m.Pages; p++)
            {
                int frame = m.FrameOf(p);
                switch (m.StateOf(p))
                {
                    case PageState.Mapped:
                        mapped++;
                        Assert.True(frame >= 0);
                        Assert.Equal(v, alloc.OwnerOf(frame));                   // owned by the VM that maps it
                        Assert.True(seenFrames.Add(frame), $"frame {frame} mapped twice");
                        Assert.Equal(-1, m.SwapSlotOf(p));
                        break;
                    case PageState.Shared:
                        Assert.Equal(FrameAllocator.SharedOwner, alloc.OwnerOf(frame));
                        Assert.False(m.Space.IsWritable(p));                     // copy-on-write
                        sharedRefs[frame] = sharedRefs.GetValueOrDefault(frame) + 1;
                        break;
                    case PageState.Swapped:
                        inSwap++;
                        Assert.Equal(-1, frame);
                        Assert.True(swap!.IsUsed(m.SwapSlotOf(p)));
                        Assert.True(seenSlots.Add(m.SwapSlotOf(p)), "swap slot used twice");
                        break;
                    default:
                        if (m.StateOf(p) == PageState.Ballooned) ballooned++;
                        Assert.Equal(-1, frame);
                        Assert.Equal(-1, m.SwapSlotOf(p));
                        break;
                }
            }
            Assert.Equal(mapped, m.MappedPages);
            Assert.Equal(mapped, perOwner[v]);                                   // no frame lost to a VM
            Assert.Equal(ballooned, m.BalloonedPages);
            Assert.Equal(inSwap, m.SwappedPages);
            Assert.True(m.MappedPages <= m.Pages);                               // never above its max
            swapped += inSwap;
        }
        Assert.Equal(frames, free + host + sharedFrames + perOwner.Sum());       // every frame accounted for
        Assert.Equal(sharedFrames, sharing.SharedFrames);
        Assert.Equal(sharedFrames, sharedRefs.Count);
        foreach (var (frame, refs) in sharedRefs) Assert.Equal(refs, sharing.RefsOf(frame));   // shared and counted correctly
        Assert.False(seenFrames.Overlaps(sharedRefs.Keys));
        Assert.Equal(swapped, swap?.UsedPages ?? 0);
    }
}
