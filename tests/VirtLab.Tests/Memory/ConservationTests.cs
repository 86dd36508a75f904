using VirtLab.Machine;
using VirtLab.Memory;

namespace VirtLab.Tests.Memory;

/// <summary>
/// Property-style tests of the frame bookkeeping: random, seeded sequences of guest touches,
/// balloon inflates and deflates (good and bad page numbers), host swap-outs and swap-ins, with
/// every invariant checked after every operation.
/// </summary>
public class ConservationTests
{
    private const int Frames = 96, Reserved = 8, Vms = 3, PagesPerVm = 48;

    private sealed class World
    {
        public readonly FrameAllocator Alloc;
        public readonly HostSwapArea Swap = new(64);
        public readonly GuestMemory[] Mem = new GuestMemory[Vms];
        public readonly Dictionary<(int Vm, int Page), byte[]> Expected = new();   // what each page must hold (absent: zeros)
        public readonly Random Rng;
        public readonly PageSharing Sharing;
        public static readonly byte[][] Patterns = Enumerable.Range(0, 3).Select(i => { var b = new byte[PhysicalMemory.PageSize]; new Random(100 + i).NextBytes(b); return b; }).ToArray();

        public World(int seed)
        {
            Rng = new Random(seed);
            Alloc = new FrameAllocator(new PhysicalMemory(Frames));
            Alloc.Reserve(Reserved);
            Sharing = new PageSharing(Alloc);
            var victimRng = new Random(seed * 31 + 7);
            for (int v = 0; v < Vms; v++)
            {
                Mem[v] = new GuestMemory(Alloc, v, PagesPerVm, Swap) { Sharing = Sharing };
                // The host's last resort, as Host.OnHostOutOfFrames: swap out a random page of another VM.
                Mem[v].OnHostOutOfFrames = faulting =>
                {
                    var others = Mem.Where(m => m != faulting && m.MappedPages > 0).ToList();
                    return others.Count > 0 && others[victimRng.Next(others.Count)].SwapOutRandom(1, victimRng) == 1;
                };
            }
        }

        public static uint Address(int page, int offset) => GuestPhysicalAddress.RamBase + (uint)page * PhysicalMemory.PageSize + (uint)offset;
        public static uint Number(int page) => GuestMemory.FirstPageNumber + (uint)page;
    }

    private static (PageState, int, int)[] Snapshot(GuestMemory m) =>
        Enumerable.Range(0, m.Pages).Select(p => (m.StateOf(p), m.FrameOf(p), m.SwapSlotOf(p))).ToArray();

    private static void CheckInvariants(World w) => FrameAudit.Check(w.Alloc, w.Mem, w.Swap, w.Sharing, Reserved);

    private static void CheckContents(World w, int v, int page)
    {
        var bytes = new byte[PhysicalMemory.PageSize];
        if (!w.Mem[v].Space.TryReadBytes(World.Address(page, 0), bytes)) return;   // host had no frame at all: nothing to compare
        if (w.Expected.TryGetValue((v, page), out var expected)) Assert.True(expected.AsSpan().SequenceEqual(bytes), $"vm {v} page {page} lost its contents");
        else Assert.True(bytes.All(b => b == 0), $"vm {v} page {page} should read as zeros");
    }

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    public void Frames_are_conserved_and_no_guest_page_is_lost_or_duplicated(int seed)
    {
        var w = new World(seed);
        var rng = w.Rng;
        for (int step = 0; step < 1500; step++)
        {
            int v = rng.Next(Vms);
            var m = w.Mem[v];
            int op = rng.Next(100);
            if (op < 45)
            {
                // Guest store of a random word (a touch: may map, swap in, or refill a ballooned page).
                int page = rng.Next(PagesPerVm), offset = rng.Next(PhysicalMemory.PageSize / 4) * 4;
                uint value = (uint)rng.Next() | 1;
                bool ballooned = m.StateOf(page) == PageState.Ballooned;
                if (m.Space.TryWrite(World.Address(page, offset), 4, value))
                {
                    if (ballooned) w.Expected.Remove((v, page));   // a touched ballooned page comes back zeroed
                    var e = w.Expected.TryGetValue((v, page), out var b) ? b : w.Expected[(v, page)] = new byte[PhysicalMemory.PageSize];
                    BitConverter.TryWriteBytes(e.AsSpan(offset), value);
                }
            }
            else if (op < 52) CheckContents(w, v, rng.Next(PagesPerVm));
            else if (op < 56)
            {
                // Fill a page with one of a few common contents (what page sharing finds).
                int page = rng.Next(PagesPerVm);
                var pattern = World.Patterns[rng.Next(World.Patterns.Length)];
                if (m.Space.TryWriteBytes(World.Address(page, 0), pattern)) w.Expected[(v, page)] = pattern.ToArray();
            }
            else if (op < 60) w.Sharing.Scan(w.Mem, 24, rng);
            else if (op < 75 || op < 85)
            {
                // A balloon report with good and bad page numbers (out of range, duplicates, wrong state).
                bool inflate = op < 75;
                int n = rng.Next(1, 12);
                var batch = new uint[n];
                for (int i = 0; i < n; i++)
                    batch[i] = rng.Next(8) switch
                    {
                        0 => (uint)rng.Next(),                                   // garbage
                        1 => World.Number(PagesPerVm + rng.Next(100)),           // just past this VM's RAM
                        2 when i > 0 => batch[i - 1],                            // duplicate
                        _ => World.Number(rng.Next(PagesPerVm)),
                    };
                var before = Snapshot(m);
                var others = Enumerable.Range(0, Vms).Where(o => o != v).Select(o => Snapshot(w.Mem[o])).ToList();
                long rejectedBefore = m.RejectedTotal;
                int accepted = inflate ? m.Inflate(batch) : m.Deflate(batch);
                Assert.Equal(n, accepted + (int)(m.RejectedTotal - rejectedBefore));   // every number accepted or rejected with a reason
                var after = Snapshot(m);
                for (int p = 0; p < PagesPerVm; p++)
                    if (before[p].Item1 != after[p].Item1) w.Expected.Remove((v, p));   // ballooned or deflated pages restart from zeros
                int o2 = 0;
                foreach (int o in Enumerable.Range(0, Vms).Where(o => o != v))
                    Assert.Equal(others[o2++], Snapshot(w.Mem[o]));                   // no other VM changed
            }
            else
            {
                m.SwapOutRandom(rng.Next(1, 6), rng);
            }
            CheckInvariants(w);
        }
        // Finally every page of every VM holds exactly what was last written to it.
        for (int v = 0; v < Vms; v++)
            for (int p = 0; p < PagesPerVm; p++) { CheckContents(w, v, p); CheckInvariants(w); }
        Assert.True(w.Mem.Sum(m => m.SwapIns) > 0 && w.Mem.Sum(m => m.SwapOuts) > 0 && w.Mem.Sum(m => m.InflatedTotal) > 0 && w.Mem.Sum(m => m.DeflatedTotal) > 0,
            "the random sequence exercised every mechanism");
        Assert.True(w.Mem.Sum(m => m.CopyOnWrites) > 0, "sharing was broken by writes");
    }

    [Fact]
    public void A_page_swapped_out_and_in_is_bit_for_bit_the_same()
    {
        var alloc = new FrameAllocator(new PhysicalMemory(16));
        var swap = new HostSwapArea(8);
        var m = new GuestMemory(alloc, 0, 8, swap);
        var bytes = new byte[PhysicalMemory.PageSize];
        new Random(42).NextBytes(bytes);
        Assert.True(m.Space.TryWriteBytes(World.Address(3, 0), bytes));
        int frame = m.FrameOf(3);
        Assert.True(m.SwapOut(3));
        Assert.Equal(PageState.Swapped, m.StateOf(3));
        Assert.Equal(FrameAllocator.Free, alloc.OwnerOf(frame));
        Assert.Equal(1, swap.UsedPages);
        int swapIns = 0;
        m.SwapInObserver = _ => swapIns++;
        var back = new byte[PhysicalMemory.PageSize];
        Assert.True(m.Space.TryReadBytes(World.Address(3, 0), back));
        Assert.Equal(bytes, back);
        Assert.Equal(1, swapIns);
        Assert.Equal(0, swap.UsedPages);
        Assert.Equal(PageState.Mapped, m.StateOf(3));
    }

    [Fact]
    public void Swap_out_refuses_when_the_area_is_full_and_never_goes_below_the_floor()
    {
        var alloc = new FrameAllocator(new PhysicalMemory(32));
        var m = new GuestMemory(alloc, 0, 16, new HostSwapArea(4));
        for (int p = 0; p < 16; p++) m.Space.TryWrite(World.Address(p, 0), 4, (uint)p + 1);
        Assert.Equal(4, m.SwapOutRandom(10, new Random(1)));
        Assert.Equal(12, m.MappedPages);
        var m2 = new GuestMemory(alloc, 1, 16, new HostSwapArea(100));
        for (int p = 0; p < 16; p++) m2.Space.TryWrite(World.Address(p, 0), 4, (uint)p + 1);
        Assert.Equal(6, m2.SwapOutRandom(100, new Random(1), keepPages: 10));
        Assert.Equal(10, m2.MappedPages);
    }
}
