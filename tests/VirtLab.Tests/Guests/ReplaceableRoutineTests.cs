using VirtLab.Assembly;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Programs;
using VirtLab.Tests.Memory;

namespace VirtLab.Tests.Guests;

/// <summary>
/// The guest kernel's replaceable routines: the seam where a student's assembly (the balloon
/// driver's inflate or deflate) is assembled into the kernel, with errors at the student's file and
/// line, and runs under a real hypervisor.
/// </summary>
public class ReplaceableRoutineTests
{
    /// <summary>
    /// balloon_inflate written another way than the kernel's: a pointer that walks the array instead
    /// of an index, a countdown, numeric local labels. What a student might hand in.
    /// </summary>
    private const string StudentInflate = """
        # My balloon_inflate.
        balloon_inflate:
            mv      t6, ra
            mv      a4, a0                  # pages still wanted
            la      t5, balloon_count
            lw      a3, 0(t5)
            slli    a2, a3, 2
            la      t4, balloon_pages
            add     a2, a2, t4              # a2 = where this batch starts
            mv      t4, a2                  # t4 = the next free slot
        1:  beqz    a4, 2f
            li      a0, 0
            call    palloc_nolock
            beqz    a0, 2f
            srli    a0, a0, 12
            sw      a0, 0(t4)
            addi    t4, t4, 4
            addi    a4, a4, -1
            j       1b
        2:  sub     a5, t4, a2
            srli    a5, a5, 2               # pages taken
            beqz    a5, 3f
            li      t3, BALLOON_BASE
            sw      a2, BALLOON_BATCH_ADDR(t3)
            sw      a5, BALLOON_BATCH_COUNT(t3)
            li      t0, BALLOON_INFLATE
            sw      t0, BALLOON_COMMAND(t3)
            add     a3, a3, a5
            sw      a3, 0(t5)
            sw      a3, BALLOON_ACTUAL(t3)
        3:  mv      a0, a5
            mv      ra, t6
            ret
        """;

    private static ProgramImage Build(params RoutineReplacement[] replacements)
    {
        var result = GuestKernel.Assemble(replacements);
        Assert.True(result.Success, result.DiagnosticsText());
        return result.Program!;
    }

    /// <summary>A VM running phases on <paramref name="kernel"/>: it used 100 pages and freed them, so its driver has pages to give.</summary>
    private static (Host Host, VirtualMachine Vm) IdleGuest(ProgramImage kernel)
    {
        var host = new Host(BalloonDriverTests.MemHost());
        var vm = host.CreateVm(new VmConfig
        {
            Name = "g", MemoryPages = 256, TickMilliseconds = 1, BalloonDriver = true, Workload = Workload.Phases(100, ticks: 4),
        }, kernel);
        host.RunFor(9);
        return (host, vm);
    }

    [Fact]
    public void The_balloon_drivers_inflate_and_deflate_are_replaceable()
    {
        Assert.Equal(["balloon_inflate", "balloon_deflate"], GuestKernel.ReplaceableRoutines);
        Assert.StartsWith("# balloon_inflate(a0 = pages wanted", GuestKernel.RoutineSource("balloon_inflate"));
        Assert.Contains("balloon_deflate:", GuestKernel.RoutineSource("balloon_deflate"));
    }

    [Fact]
    public void The_kernels_own_routines_as_replacements_build_the_shipped_kernel_byte_for_byte()
    {
        var image = Build(
            new RoutineReplacement("balloon_deflate", GuestKernel.RoutineSource("balloon_deflate"), "deflate.s"),
            new RoutineReplacement("balloon_inflate", GuestKernel.RoutineSource("balloon_inflate"), "inflate.s"));
        Assert.Equal(GuestKernel.Image.Segments.Count, image.Segments.Count);
        for (int i = 0; i < image.Segments.Count; i++)
        {
            Assert.Equal(GuestKernel.Image.Segments[i].Address, image.Segments[i].Address);
            Assert.Equal(GuestKernel.Image.Segments[i].MemorySize, image.Segments[i].MemorySize);
            Assert.Equal(GuestKernel.Image.Segments[i].Bytes, image.Segments[i].Bytes);
        }
        Assert.Equal(GuestKernel.Image.Symbols, image.Symbols);
    }

    [Fact]
    public void A_students_inflate_runs_in_the_guest_and_the_host_gets_the_pages()
    {
        var (host, vm) = IdleGuest(Build(new RoutineReplacement("balloon_inflate", StudentInflate, "inflate.s")));
        int before = vm.Memory.MappedPages;
        vm.Balloon.Target = 120;
        host.RunFor(1.5);
        Assert.False(vm.IsStopped, vm.StopReason);
        Assert.Equal(120, vm.Memory.BalloonedPages);
        Assert.Equal(120u, vm.Balloon.ReportedActual);
        Assert.Equal(0, vm.Memory.RejectedTotal);
        Assert.True(vm.Memory.MappedPages <= before - 90, $"mapped {vm.Memory.MappedPages}, was {before}");

        vm.Balloon.Target = 0;                               // the kernel's own deflate gives them back
        host.RunFor(2);
        Assert.Equal(0, vm.Memory.BalloonedPages);
        Assert.Equal(0, vm.Memory.RejectedTotal);
        Assert.True(vm.Progress > 0);
    }

    [Fact]
    public void An_inflate_that_gives_nothing_leaves_the_balloon_empty()
    {
        const string lazy = "balloon_inflate:\n    li a0, 0\n    ret\n";
        var (host, vm) = IdleGuest(Build(new RoutineReplacement("balloon_inflate", lazy, "lazy.s")));
        vm.Balloon.Target = 120;
        host.RunFor(3);
        Assert.True(vm.Balloon.TargetReads > 0, "the kernel's balloon_poll still asked");
        Assert.Equal(0, vm.Memory.BalloonedPages);
    }

    [Fact]
    public void A_replacement_that_leaves_text_for_its_own_data_does_not_take_the_kernels_code_with_it()
    {
        string withData = GuestKernel.RoutineSource("balloon_inflate") + "\n    .data\ninflations: .word 0\n";
        var image = Build(new RoutineReplacement("balloon_inflate", withData, "inflate.s"));
        var text = image.Segments.Single(s => s.Name == ".text");
        Assert.True(text.Contains(image.Symbols["balloon_deflate"]), "the kernel's code after the replacement is still in .text");
        Assert.Equal(".data", image.Segments.Single(s => s.Contains(image.Symbols["inflations"])).Name);
        var (host, vm) = IdleGuest(image);
        vm.Balloon.Target = 50;
        host.RunFor(1.5);
        Assert.Equal(50, vm.Memory.BalloonedPages);
    }

    [Fact]
    public void Errors_in_a_replacement_are_reported_at_its_own_file_and_line()
    {
        const string broken = "balloon_inflate:\n    mv t6, ra\n    addi a0, a0\n    frobnicate a1\n    mv ra, t6\n    ret\n";
        var result = GuestKernel.Assemble(new RoutineReplacement("balloon_inflate", broken, "student/inflate.s"));
        Assert.False(result.Success);
        Assert.Null(result.Program);
        Assert.All(result.Diagnostics, d => Assert.Equal("student/inflate.s", d.File));
        Assert.Equal([3, 4], result.Diagnostics.Select(d => d.Line));
        Assert.StartsWith("student/inflate.s:3:", result.DiagnosticsText());
    }

    [Fact]
    public void A_replacement_without_the_routines_label_is_told_so()
    {
        const string unlabelled = "inflate:\n    li a0, 0\n    ret\n";
        var result = GuestKernel.Assemble(new RoutineReplacement("balloon_inflate", unlabelled, "inflate.s"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("inflate.s:1:1: error: defines no label 'balloon_inflate:'; the kernel calls the routine by that name", d.ToString());
    }

    [Fact]
    public void A_label_that_clashes_with_the_kernels_names_the_kernel_line_that_has_it()
    {
        const string clash = "balloon_inflate:\n    li a0, 0\nbp_done:\n    ret\n";
        var result = GuestKernel.Assemble(new RoutineReplacement("balloon_inflate", clash, "inflate.s"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("inflate.s", 3), (d.File, d.Line));
        int kernelLine = Array.FindIndex(GuestKernel.Source.Split('\n'), l => l.StartsWith("bp_done:", StringComparison.Ordinal)) + 1;
        Assert.Contains($"at {GuestKernel.FileName}:{kernelLine}", d.Message);
    }

    [Fact]
    public void Kernel_lines_after_a_longer_replacement_are_reported_where_they_are_in_the_kernel()
    {
        // Two lines longer than the original, and it defines bd_free, a label of balloon_deflate
        // further down: the kernel's own definition is the one reported, at its line in GuestKernel.s.
        string longer = "\n\n" + GuestKernel.RoutineSource("balloon_inflate") + "\nbd_free:\n    ret\n";
        var result = GuestKernel.Assemble(new RoutineReplacement("balloon_inflate", longer, "inflate.s"));
        var d = Assert.Single(result.Diagnostics);
        int kernelLine = Array.FindIndex(GuestKernel.Source.Split('\n'), l => l.StartsWith("bd_free:", StringComparison.Ordinal)) + 1;
        int studentLine = Array.FindIndex(longer.Split('\n'), l => l.StartsWith("bd_free:", StringComparison.Ordinal)) + 1;
        Assert.Equal((GuestKernel.FileName, kernelLine), (d.File, d.Line));
        Assert.Contains($"at inflate.s:{studentLine}", d.Message);

        var second = GuestKernel.Assemble(
            new RoutineReplacement("balloon_inflate", "\n\n" + GuestKernel.RoutineSource("balloon_inflate"), "inflate.s"),
            new RoutineReplacement("balloon_deflate", "balloon_deflate:\n    j nowhere\n", "deflate.s"));
        Assert.Equal("deflate.s:2:7: error: undefined symbol 'nowhere'", Assert.Single(second.Diagnostics).ToString());
    }

    [Fact]
    public void Replacing_a_routine_that_is_not_replaceable_or_twice_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => GuestKernel.Assemble(new RoutineReplacement("palloc", "palloc:\n ret\n")));
        Assert.Contains("balloon_inflate, balloon_deflate", e.Message);
        Assert.Throws<ArgumentException>(() => GuestKernel.Assemble(
            new RoutineReplacement("balloon_inflate", StudentInflate), new RoutineReplacement("balloon_inflate", StudentInflate)));
    }

    [Fact]
    public void With_no_replacements_it_is_the_shipped_kernel()
    {
        var result = GuestKernel.Assemble();
        Assert.True(result.Success);
        Assert.Equal(GuestKernel.Image.Symbols, result.Program!.Symbols);
    }
}
