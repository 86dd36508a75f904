using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Machine;
using VirtLab.Memory;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Memory;

public class PageSharingTests
{
    [Fact]
    public void Identical_pages_share_one_frame_until_a_write_copies_it()
    {
        var alloc = new FrameAllocator(new PhysicalMemory(32));
        var sharing = new PageSharing(alloc);
        var a = new GuestMemory(alloc, 0, 8) { Sharing = sharing };
        var b = new GuestMemory(alloc, 1, 8) { Sharing = sharing };
        var bytes = new byte[PhysicalMemory.PageSize];
        new Random(3).NextBytes(bytes);
        Assert.True(a.Space.TryWriteBytes(GuestPhysicalAddress.RamBase + 4096, bytes));
        Assert.True(b.Space.TryWriteBytes(GuestPhysicalAddress.RamBase + 2 * 4096, bytes));
        int free = alloc.FreeFrames;
        Assert.False(sharing.TryShare(a, 1));          // first sight: a candidate
        Assert.True(sharing.TryShare(b, 2));           // hash match + full compare: shared
        Assert.Equal(free + 1, alloc.FreeFrames);      // one frame saved
        Assert.Equal(a.FrameOf(1), b.FrameOf(2));
        Assert.Equal(PageState.Shared, a.StateOf(1));
        Assert.Equal(1, sharing.SavedFrames);

        Assert.True(b.Space.TryWrite(GuestPhysicalAddress.RamBase + 2 * 4096 + 8, 4, 0xDEADBEEF));   // copy-on-write
        Assert.Equal(1, b.CopyOnWrites);
        Assert.NotEqual(a.FrameOf(1), b.FrameOf(2));
        var back = new byte[PhysicalMemory.PageSize];
        Assert.True(a.Space.TryReadBytes(GuestPhysicalAddress.RamBase + 4096, back));
        Assert.Equal(bytes, back);                     // the other VM still sees the original
        Assert.True(b.Space.TryRead(GuestPhysicalAddress.RamBase + 2 * 4096 + 8, 4, out uint v) && v == 0xDEADBEEF);
        Assert.Equal(0, sharing.SavedFrames);
    }

    [Fact]
    public void Identical_guests_share_their_kernel_pages_and_keep_running()
    {
        var host = new Host(SmallHost(cores: 2) with { SharingScanPages = 64, ReclamationPolicy = null });
        var vms = Enumerable.Range(0, 2).Select(i => host.CreateVm(new VmConfig { Name = $"g{i}", MemoryPages = 128, Workload = Workload.Memory(16) })).ToList();
        host.RunFor(30);
        Assert.True(host.Sharing.SavedFrames > 0, "identical kernel and zero pages are shared");
        ulong p0 = vms[0].Progress, p1 = vms[1].Progress;
        host.RunFor(10);
        foreach (var vm in vms) Assert.False(vm.IsStopped, vm.StopReason);
        Assert.True(vms[0].Progress > p0 && vms[1].Progress > p1);
        int shared = 0;
        for (int f = 0; f < host.Frames.TotalFrames; f++) if (host.Frames.OwnerOf(f) == FrameAllocator.SharedOwner) shared++;
        Assert.Equal(host.Sharing.SharedFrames, shared);
        Assert.Equal(host.Sharing.SharingPages, vms.Sum(v => v.Memory.SharedPages));
    }
}

public class PageSharingExperimentTests
{
    [Fact]
    public void Memory_saved_grows_with_the_number_of_identical_guests()
    {
        var r = PageSharingExperiment.Run(new() { DurationMilliseconds = 20, MaxVms = 4 });
        var saved = r.Rows.Where(x => x.Set == PageSharingExperiment.Identical).Select(x => x.SavedFrames).ToList();
        Assert.True(saved[0] >= 0 && saved[3] > saved[0], string.Join(",", saved));
        for (int i = 1; i < saved.Count; i++) Assert.True(saved[i] >= saved[i - 1], string.Join(",", saved));
    }

    /// <summary>
    /// The ESX shape: with identical guests whose data is read-mostly, the fraction of memory saved
    /// grows with the number of guests and levels off, because each further guest adds one more copy
    /// of pages that already have a shared frame.
    /// </summary>
    [Fact]
    public void The_saved_fraction_of_identical_read_mostly_guests_grows_and_levels_off()
    {
        var r = PageSharingExperiment.Run(new() { DurationMilliseconds = 40, MaxVms = 6, Workload = Workload.Cache(48) });
        var rows = r.Rows.Where(x => x.Set == PageSharingExperiment.Identical).ToList();
        var fraction = rows.Select(x => x.SavedFraction).ToList();
        string all = string.Join(", ", fraction.Select(f => f.ToString("F3")));
        for (int i = 1; i < fraction.Count; i++) Assert.True(fraction[i] >= fraction[i - 1] - 0.01, $"saved fraction fell: {all}");
        Assert.True(fraction[1] - fraction[0] > 3 * (fraction[5] - fraction[4]), $"does not level off: {all}");
        Assert.True(fraction[5] > 0.5, $"identical read-mostly guests should save most of their memory: {all}");
        // The pages are written once and then only read: sharing is not broken over and over.
        Assert.All(rows, x => Assert.True(x.CopyOnWrites < x.BackedPages / 2, $"copy-on-write faults {x.CopyOnWrites} for {x.BackedPages} pages"));
    }
}
