using System.Buffers.Binary;
using VirtLab.Assembly;
using VirtLab.Cli;
using VirtLab.Machine;
using VirtLab.Programs;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Programs;

/// <summary>
/// Loading the parts of PT_LOAD segments that hold sections. GNU ld, given only
/// <c>-Ttext=0x80000000</c>, starts the first segment a page early so that it also maps the ELF and
/// program headers (at 0x7ffff000, below RAM); the code and data still lie in RAM, and QEMU's spike
/// machine runs such a file. VirtLab loads the sections and refuses only a section that really lies
/// outside RAM, naming it.
/// </summary>
public sealed class SegmentLoadingTests : IDisposable
{
    private const string Program = """
        .text
        .globl _start
        _start:
            la   t0, value
            lw   t1, 0(t0)            # 21, from .data
            la   t0, zeros
            lw   t2, 0(t0)            # 0, from .bss
            add  t1, t1, t2
            slli t1, t1, 1            # tohost = 42 | 1: exit code 21
            ori  t1, t1, 1
            la   t0, tohost
            sw   t1, 0(t0)
            sw   zero, 4(t0)
        1:  j    1b
        .data
        value: .word 21
        .balign 8
        .globl tohost
        tohost: .dword 0
        .globl fromhost
        fromhost: .dword 0
        .bss
        zeros: .space 64
        """;

    private readonly CliHarness _files = new();

    public void Dispose() => _files.Dispose();

    private static ProgramImage Assembled(AssemblerOptions? options = null, string source = Program)
    {
        var result = Assembler.Assemble(source, "program.s", options);
        Assert.True(result.Success, result.DiagnosticsText());
        return result.Program!;
    }

    /// <summary>
    /// The program as GNU ld lays it out by default: the first PT_LOAD grown back to file offset 0,
    /// so that it starts below its first section and holds the ELF header and program headers too.
    /// </summary>
    private static byte[] WithHeadersInFirstSegment(ProgramImage program)
    {
        byte[] elf = program.ToElf();
        var ph = elf.AsSpan(BinaryPrimitives.ReadInt32LittleEndian(elf.AsSpan(28)), 32);   // e_phoff: the first program header
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(ph[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 0);                                                 // p_offset
        BinaryPrimitives.WriteUInt32LittleEndian(ph[8..], BinaryPrimitives.ReadUInt32LittleEndian(ph[8..]) - offset);   // p_vaddr
        BinaryPrimitives.WriteUInt32LittleEndian(ph[12..], BinaryPrimitives.ReadUInt32LittleEndian(ph[12..]) - offset); // p_paddr
        BinaryPrimitives.WriteUInt32LittleEndian(ph[16..], BinaryPrimitives.ReadUInt32LittleEndian(ph[16..]) + offset); // p_filesz
        BinaryPrimitives.WriteUInt32LittleEndian(ph[20..], BinaryPrimitives.ReadUInt32LittleEndian(ph[20..]) + offset); // p_memsz
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(ph[8..]) < MachineConfig.RamBase, "the first segment now starts below RAM");
        return elf;
    }

    private static byte[] WithoutSectionHeaders(byte[] elf)
    {
        elf = [.. elf];
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(32), 0);   // e_shoff
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(48), 0);   // e_shnum
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(50), 0);   // e_shstrndx
        return elf;
    }

    [Fact]
    public void A_segment_that_also_maps_the_headers_loads_as_its_sections()
    {
        var original = Assembled();
        var loaded = ProgramImage.FromElf(WithHeadersInFirstSegment(original));
        Assert.Equal(original.Segments.Select(s => (s.Name, s.Address, s.MemorySize)), loaded.Segments.Select(s => (s.Name, s.Address, s.MemorySize)));
        for (int i = 0; i < original.Segments.Count; i++) Assert.Equal(original.Segments[i].Bytes, loaded.Segments[i].Bytes);

        var machine = new VirtLab.Machine.Machine();
        Assert.Null(machine.Load(loaded));
        var run = machine.Run(1_000);
        Assert.Equal((ExitReason.ProgramExited, 21), (run.Reason, run.ExitCode));
    }

    [Fact]
    public void Virtlab_run_runs_it()
    {
        string path = _files.Write("headers.elf", WithHeadersInFirstSegment(Assembled()));
        var result = CliHarness.Run("run", path);
        Assert.True(result.ExitCode == 21, result.ToString());
    }

    [Fact]
    public void Without_section_headers_a_segment_is_loaded_whole_and_one_below_ram_is_refused()
    {
        string path = _files.Write("stripped.elf", WithoutSectionHeaders(WithHeadersInFirstSegment(Assembled())));
        var result = CliHarness.Run("run", path);
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains("segment0 (0x7fff", result.Error);
        Assert.Contains("lies outside RAM 0x80000000..0x81000000", result.Error);

        // Segments that start where their contents do load whole, under the names of their program headers.
        var whole = ProgramImage.FromElf(WithoutSectionHeaders(Assembled().ToElf()));
        Assert.Equal(["segment0", "segment1", "segment2"], whole.Segments.Select(s => s.Name));
        Assert.Null(new VirtLab.Machine.Machine().Load(whole));
    }

    [Fact]
    public void Code_outside_ram_is_refused_naming_its_section()
    {
        var program = Assembled(new AssemblerOptions { TextBase = 0x7000_0000 });
        Assert.StartsWith(".text (0x70000000..", new VirtLab.Machine.Machine().Load(ProgramImage.FromElf(program.ToElf())));

        string path = _files.Write("low.elf", program.ToElf());
        var result = CliHarness.Run("run", path);
        Assert.Equal(ExitCodes.CannotLoad, result.ExitCode);
        Assert.Contains(".text (0x70000000..", result.Error);
    }

    [Fact]
    public void Data_that_runs_past_the_end_of_ram_is_refused_naming_its_section_and_nothing_is_loaded()
    {
        var program = Assembled(source: Program + "\n    .bss\nhuge: .space 0x1000000\n");
        var machine = new VirtLab.Machine.Machine();
        string? problem = machine.Load(ProgramImage.FromElf(program.ToElf()));
        Assert.NotNull(problem);
        Assert.StartsWith(".bss (0x8000", problem);
        Assert.EndsWith("lies outside RAM 0x80000000..0x81000000", problem);
        Assert.True(machine.Bus.TryRead(MachineConfig.RamBase, 4, out uint first));
        Assert.Equal(0u, first);   // .text, which fits, was not loaded either
    }
}
