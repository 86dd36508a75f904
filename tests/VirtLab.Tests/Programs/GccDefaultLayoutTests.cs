using System.Buffers.Binary;
using VirtLab.Machine;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Programs;

/// <summary>
/// A C program built the way a new user would, with riscv64-unknown-elf-gcc and a plain
/// <c>-Wl,-Ttext=0x80000000</c> (no linker script), whose first PT_LOAD segment therefore starts at
/// 0x7ffff000 with the ELF headers in it: <c>virtlab run</c> runs it and ends with the same exit
/// code as QEMU's spike machine. Needs gcc-riscv64-unknown-elf and qemu-system-misc: skipped
/// without them, failed on CI.
/// </summary>
public sealed class GccDefaultLayoutTests : IDisposable
{
    private const string Start = """
        # The smallest start-up for C on a bare RISC-V board with HTIF: global pointer, stack,
        # main(), then exit through tohost with main's return value.
            .text
            .globl _start
        _start:
            .option push
            .option norelax
            la      gp, __global_pointer$   # gcc's linker turns accesses near gp into gp-relative ones
            .option pop
            la      sp, stack_top
            call    main
            slli    a0, a0, 1
            ori     a0, a0, 1               # tohost = code << 1 | 1
            la      t0, tohost
            sw      a0, 0(t0)
            sw      zero, 4(t0)
        1:  j       1b

            .bss
            .balign 16
            .space  4096
        stack_top:

            .data
            .balign 8
            .globl  tohost, fromhost
        tohost:   .dword 0
            .size   tohost, 8
        fromhost: .dword 0
            .size   fromhost, 8
        """;

    private const string Main = """
        /* Code in .text, a string in read-only data, a table in .data, zeros in .bss. */
        static const char name[] = "VirtLab";
        static int table[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        static int zeros[64];

        int main(void)
        {
            int sum = 0;
            for (int i = 0; i < 8; i++) sum += table[i];       /* 36 */
            for (int i = 0; i < 64; i++) sum += zeros[i];      /* 0 */
            for (const char *p = name; *p; p++) sum += *p;     /* 692 */
            return sum - 36 - 692 + 7;                         /* 7 when every section was loaded */
        }
        """;

    private const int ExpectedExitCode = 7;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly CliHarness _files = new();

    public void Dispose() => _files.Dispose();

    private string Build()
    {
        string gcc = ExternalTools.Require("riscv64-unknown-elf-gcc");
        string elf = Path.Combine(_files.Directory, "program.elf");
        ExternalTools.RunChecked(gcc, ["-march=rv32im_zicsr", "-mabi=ilp32", "-O1", "-nostdlib", "-Wl,-Ttext=0x80000000",
            "-o", elf, _files.Write("start.S", Start), _files.Write("main.c", Main)], Timeout);
        return elf;
    }

    /// <summary>p_vaddr of the first PT_LOAD program header.</summary>
    private static uint FirstLoadAddress(byte[] elf)
    {
        int phoff = BinaryPrimitives.ReadInt32LittleEndian(elf.AsSpan(28)), phnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(44));
        for (int i = 0; i < phnum; i++)
        {
            var ph = elf.AsSpan(phoff + 32 * i, 32);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) == 1) return BinaryPrimitives.ReadUInt32LittleEndian(ph[8..]);
        }
        throw new Xunit.Sdk.XunitException("no PT_LOAD program header");
    }

    [SkippableFact]
    public void Virtlab_runs_a_program_whose_first_segment_starts_below_ram()
    {
        string elf = Build();
        uint first = FirstLoadAddress(File.ReadAllBytes(elf));
        Assert.True(first < MachineConfig.RamBase, $"the first segment starts at 0x{first:x8}: this toolchain no longer puts the headers in it");
        var result = CliHarness.Run("run", elf);
        Assert.True(result.ExitCode == ExpectedExitCode, result.ToString());
    }

    [SkippableFact]
    public void Qemus_spike_machine_agrees()
    {
        string elf = Build();
        string qemu = ExternalTools.Require("qemu-system-riscv32");
        var result = ExternalTools.Run(qemu, ["-machine", "spike", "-cpu", "rv32,f=off,d=off", "-nographic", "-bios", "none", "-kernel", elf],
            TimeSpan.FromSeconds(20), standardInput: "");
        Assert.True(!result.TimedOut && result.ExitCode == ExpectedExitCode, result.ToString());
        Assert.Equal(ExpectedExitCode, CliHarness.Run("run", elf).ExitCode);
    }
}
