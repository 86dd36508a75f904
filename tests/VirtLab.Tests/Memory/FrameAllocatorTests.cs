using VirtLab.Machine;
using VirtLab.Memory;

namespace VirtLab.Tests.Memory;

public class FrameAllocatorTests
{
    [Fact]
    public void Reserved_frames_belong_to_the_host_and_never_reach_a_vm()
    {
        var alloc = new FrameAllocator(new PhysicalMemory(16));
        Assert.Equal(4, alloc.Reserve(4));
        Assert.Equal(12, alloc.FreeFrames);
        Assert.All(Enumerable.Range(0, 4), f => Assert.Equal(FrameAllocator.HostOwner, alloc.OwnerOf(f)));   // the lowest frames first
        var given = Enumerable.Range(0, 12).Select(_ => alloc.Allocate(owner: 1)).ToList();
        Assert.DoesNotContain(given, f => f < 4);
        Assert.Equal(-1, alloc.Allocate(owner: 1));
        Assert.Equal(0, alloc.Reserve(1));   // nothing left to reserve
    }

    [Fact]
    public void A_frame_handed_to_a_vm_is_zeroed_whatever_ram_held_before()
    {
        var ram = new PhysicalMemory(8);
        ram.Bytes.Fill(0xAA);                 // what a previous owner, or the host itself, left there
        var alloc = new FrameAllocator(ram);
        alloc.Reserve(2);
        Assert.Equal(0xAA, ram.Frame(0)[0]);  // the host's own frames are left as they are
        int frame = alloc.Allocate(owner: 0);
        Assert.True(ram.Frame(frame).ToArray().All(b => b == 0), $"frame {frame} was not zeroed");
    }
}
