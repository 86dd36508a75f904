using System.Diagnostics;
using VirtLab.Machine;
using Mach = VirtLab.Machine.Machine;

namespace VirtLab.Tests.Machine;

/// <summary>
/// Seeded random-instruction tests. (1) Millions of random words in a sandbox never make the
/// machine throw or hang. (2) Random straight-line programs, full of traps, leave exactly the same
/// state whether run in long blocks (fast path), one instruction per block, or entirely on the
/// reference interpreter. Seeds are fixed, so a failure reproduces; the message names the seed.
/// </summary>
public class FuzzTests
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    // ------------------------------------------------------------------ encoders

    private static uint R(uint f7, int rs2, int rs1, uint f3, int rd, uint op) =>
        (f7 << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((uint)rd << 7) | op;
    private static uint I(int imm, int rs1, uint f3, int rd, uint op) =>
        ((uint)(imm & 0xFFF) << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((uint)rd << 7) | op;
    private static uint S(int imm, int rs2, int rs1, uint f3, uint op) =>
        ((uint)((imm >> 5) & 0x7F) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((uint)(imm & 31) << 7) | op;
    private static uint B(int imm, int rs2, int rs1, uint f3) =>
        ((uint)((imm >> 12) & 1) << 31) | ((uint)((imm >> 5) & 0x3F) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15)
        | (f3 << 12) | ((uint)((imm >> 1) & 0xF) << 8) | ((uint)((imm >> 11) & 1) << 7) | 0x63;
    private static uint J(int imm, int rd) =>
        ((uint)((imm >> 20) & 1) << 31) | ((uint)((imm >> 1) & 0x3FF) << 21) | ((uint)((imm >> 11) & 1) << 20)
        | ((uint)((imm >> 12) & 0xFF) << 12) | ((uint)rd << 7) | 0x6F;

    private static readonly uint[] UsefulCsrs =
        [Csr.MScratch, Csr.MCycle, Csr.MInstret, Csr.MCycleH, Csr.MInstretH, Csr.Cycle, Csr.Instret, Csr.Time,
         Csr.MCause, Csr.MTval, Csr.Misa, Csr.MHartId, Csr.Mip, 0x180 /* satp: missing */, Csr.MCounterEn];

    /// <summary>
    /// A plausible instruction: valid opcodes with random fields, so most of them execute instead of
    /// trapping. Loads and stores usually go through x31 (the data page); branches and jal jump
    /// forward by a few instructions (sometimes to a misaligned target).
    /// </summary>
    private static uint PlausibleInstruction(Random rng, bool straightLine)
    {
        int rd = rng.Next(1, 28), rs1 = rng.Next(0, 28), rs2 = rng.Next(0, 28);   // x28-x30 belong to the trap handler (x29 holds code addresses)
        int imm = rng.Next(-2048, 2048);
        switch (rng.Next(16))
        {
            case 0: return (uint)(rng.Next() << 12) | ((uint)rd << 7) | 0x37;                                  // lui
            case 1: return (uint)(rng.Next() << 12) | ((uint)rd << 7) | 0x17;                                  // auipc
            case 2: case 3:
            {
                uint f3 = (uint)rng.Next(8);
                if (f3 is 1 or 5) return I((rng.Next(4) == 0 ? rng.Next(64) : rng.Next(32)) | (f3 == 5 && rng.Next(2) == 0 ? 0x400 : 0), rs1, f3, rd, 0x13);
                return I(imm, rs1, f3, rd, 0x13);
            }
            case 4: case 5: return R(rng.Next(3) switch { 0 => 0u, 1 => 0x20u, _ => 1u }, rs2, rs1, (uint)rng.Next(8), rd, 0x33);
            case 6: case 7:   // loads: usually from the data page around x31, sometimes misaligned, sometimes wild
            {
                int @base = rng.Next(8) == 0 ? rs1 : 31;
                return I(imm, @base, (uint)rng.Next(6) switch { 3 => 4u, var f => (uint)f }, rd, 0x03);
            }
            case 8: case 9:
            {
                int @base = rng.Next(8) == 0 ? rs1 : 31;
                return S(imm, rs2, @base, (uint)rng.Next(3), 0x23);
            }
            case 10:   // forward branch by 1..8 instructions, rarely misaligned
            {
                int offset = 4 * rng.Next(1, 9) + (rng.Next(16) == 0 ? 2 : 0);
                return B(offset, rs2, rs1, (uint)rng.Next(8));
            }
            case 11:
                // In straight-line programs jal links nothing: a code address in a register could become a store base and patch a backward jump in.
                return straightLine ? J(4 * rng.Next(1, 6), 0) : J(4 * rng.Next(-64, 64), rd);
            case 12:   // CSR instructions on a handful of CSRs (some read-only, one missing)
            {
                uint csr = UsefulCsrs[rng.Next(UsefulCsrs.Length)];
                uint f3 = (uint)rng.Next(1, 8);
                if (f3 == 4) f3 = 2;
                return (csr << 20) | ((uint)(rng.Next(4) == 0 ? 0 : rs1) << 15) | (f3 << 12) | ((uint)rd << 7) | 0x73;
            }
            case 13:
                return rng.Next(6) switch
                {
                    0 => 0x0000_0073,   // ecall
                    1 => 0x0010_0073,   // ebreak
                    2 => 0x0000_100F,   // fence.i
                    3 => 0x0FF0_000F,   // fence
                    4 => straightLine ? 0x0000_0073u : 0x3020_0073u,   // mret only where loops are fine
                    _ => straightLine ? 0x0010_0073 : (uint)rng.Next() | 0x3,
                };
            case 14: return I(imm, rs1, 0, rd, 0x67) & (straightLine ? 0u : ~0u);   // jalr (none in straight-line programs)
            default:   // anything at all, except (in straight-line programs) a jump that could go backwards or a SYSTEM word
                uint w = (uint)rng.NextInt64(0, 1L << 32);
                return straightLine && (w & 0x7F) is 0x63 or 0x67 or 0x6F or 0x73 ? 0xFFFF_FFFF : w;   // no random CSR writes to mtvec either
        }
    }

    // ------------------------------------------------------------------ 1: robustness

    [Fact]
    public async Task MillionsOfRandomWordsNeverThrowOrHang()
    {
        const int Seeds = 120;
        const int RamPages = 16;   // 64 KiB: random addresses land in RAM often enough to matter
        const long Budget = 25_000;
        long executed = 0, attempts = 0;
        var clock = Stopwatch.StartNew();
        var work = Task.Run(() =>
        {
            for (int seed = 1; seed <= Seeds; seed++)
            {
                var rng = new Random(seed);
                var machine = new Mach(new MachineConfig { RamSize = RamPages * 4096, HartCount = 1 + seed % 2, HartQuantum = 1 + rng.Next(5000) });
                var ram = machine.Ram.Bytes;
                bool plausible = seed % 3 != 0;
                for (int i = 0; i + 4 <= ram.Length; i += 4)
                {
                    uint w = plausible && rng.Next(4) != 0 ? PlausibleInstruction(rng, straightLine: false) : (uint)rng.NextInt64(0, 1L << 32);
                    BitConverter.TryWriteBytes(ram.Slice(i, 4), w);
                }
                foreach (var hart in machine.Harts)
                {
                    for (int r = 1; r < 32; r++) hart[r] = rng.Next(3) == 0 ? 0x8000_0000u + (uint)rng.Next(RamPages * 4096) : (uint)rng.NextInt64(0, 1L << 32);
                    hart.Pc = 0x8000_0000u + (uint)rng.Next(RamPages * 1024) * 4;
                    // mtvec: usually into RAM (direct or vectored), sometimes nowhere (a fetch-fault loop)
                    hart.MTvec = rng.Next(8) == 0 ? (uint)rng.NextInt64(0, 1L << 32) : 0x8000_0000u + (uint)rng.Next(RamPages * 4096) | (uint)rng.Next(2);
                    hart.Mie = (uint)rng.Next();
                    hart.MStatus = (uint)rng.Next();
                }
                if (rng.Next(2) == 0) machine.Clint.Write(0x4000, 4, (uint)rng.Next(2000));
                if (rng.Next(2) == 0) machine.Clint.Write(0x4004, 4, 0);
                machine.Harts[0].ExternalInterruptLine = rng.Next(4) == 0;

                var result = machine.Run(Budget);
                Assert.False(result.Reason == ExitReason.Unsupported, $"seed {seed}: {result.Message}");
                // RunResult.Instructions is a difference of minstret, which random csr writes change: count only sane ones.
                if (result.Instructions <= (ulong)Budget) executed += (long)result.Instructions;
                attempts += Budget;
            }
        });
        try { await work.WaitAsync(HangLimit); }
        catch (TimeoutException) { Assert.Fail($"random programs hung the machine (after {clock.Elapsed})"); }
        // Most random words trap; the budget counts those too, so a few million attempts happen.
        Assert.True(attempts >= 3_000_000, $"only {attempts} attempts");
        Assert.True(executed >= 200_000, $"only {executed} instructions retired: the generator is too trap-happy");
    }

    // ------------------------------------------------------------------ 2: fast path = slow path

    /// <summary>
    /// A random straight-line program of <paramref name="length"/> plausible instructions (no backward
    /// jumps), with x31 pointing at a data page and a trap handler that counts the trap, folds
    /// mcause/mtval into x28, skips the faulting instruction and returns. Then it exits through tohost.
    /// </summary>
    private static string StraightLineProgram(int seed, int length, int rounds = 1)
    {
        var rng = new Random(seed);
        var src = new System.Text.StringBuilder();
        src.AppendLine("la t0, handler\ncsrw mtvec, t0");
        for (int r = 1; r < 28; r++) src.AppendLine($"li x{r}, 0x{(uint)rng.NextInt64(0, 1L << 32):x}");
        src.AppendLine("la x31, data + 2048\nli x28, 0\nli x29, 0\nli x30, 0\nbody:");
        for (int i = 0; i < length; i++) src.AppendLine($".word 0x{PlausibleInstruction(rng, straightLine: true):x8}");
        // Branches and jal jump forward at most 8 instructions: land in a run of nops, then exit.
        // Random stores (off registers that auipc or a trap left pointing into the code) may
        // overwrite code near the body, so the round counter's code lives on the handler's page,
        // more than a store's 2 KiB reach away, behind several copies of the jump to it.
        for (int i = 0; i < 9; i++) src.AppendLine("nop");
        for (int i = 0; i < 8; i++) src.AppendLine("j next_round");
        src.AppendLine("""
            .align 12
            next_round:
                la x29, rounds_left
                lw x28, 0(x29)
                addi x28, x28, -1
                sw x28, 0(x29)
                bnez x28, body
                j __exit
            handler:
                csrr x29, mcause
                add x28, x28, x29
                slli x28, x28, 1
                csrr x29, mtval
                xor x28, x28, x29
                addi x30, x30, 1
                csrr x29, mepc
                addi x29, x29, 4
                csrw mepc, x29
                li x29, 0x1800
                csrs mstatus, x29           # return to M (mret would otherwise drop to U)
                mret
            rounds_left:                    # the round counter: random code writes registers and CSRs, rarely this word
            """);
        src.AppendLine($"    .word {rounds}");
        src.AppendLine("""
            .data
            .align 12
            data:
            """);
        for (int i = 0; i < 1024; i++) src.AppendLine($".word 0x{(uint)rng.NextInt64(0, 1L << 32):x}");
        src.AppendLine(".word 0, 0\n.text");   // x31 + 2047 + 3 reaches 2 bytes past the page; __exit follows in .text
        return src.ToString();
    }

    private sealed record State(uint[] Registers, uint Pc, ulong Instret, ulong Cycle, uint[] Csrs, byte[] Ram, string Exit);

    private static State Capture(Outcome o)
    {
        var h = o.Hart;
        uint[] csrs = [h.MStatus, h.Mie, h.MTvec, h.MEpc, h.MCause, h.MTval, h.MScratch, h.MCounterEn, (uint)h.Privilege];
        return new State(h.Registers, h.Pc, h.Instret, h.Cycle, csrs, o.Machine.Ram.Bytes.ToArray(), o.Result.Reason + " " + o.Result.ExitCode);
    }

    [Fact]
    public void RandomStraightLineProgramsGiveTheSameStateOnFastAndSlowPaths()
    {
        long traps = CompareModes(firstSeed: 1000, programs: 80, length: 300, rounds: 1, [ExecMode.Translated, ExecMode.Steps, ExecMode.SlowPath]);
        Assert.True(traps > 80 * 10, $"only {traps} traps: the programs do not exercise trap paths");
    }

    /// <summary>
    /// The same random programs run several rounds, so that the body is jumped back to and runs as
    /// translated code (at the default threshold too), with its stores, traps and self-modification.
    /// </summary>
    [Fact]
    public void RandomLoopingProgramsGiveTheSameStateTranslatedAndInterpreted()
    {
        long traps = CompareModes(firstSeed: 5000, programs: 40, length: 200, rounds: 70, [ExecMode.Translated], defaultThreshold: true);
        Assert.True(traps > 40 * 10, $"only {traps} traps: the programs do not exercise trap paths");
    }

    /// <summary>Runs each program in Blocks mode and in <paramref name="modes"/>, and checks the whole machine state agrees. Returns the traps taken.</summary>
    private static long CompareModes(int firstSeed, int programs, int length, int rounds, ExecMode[] modes, bool defaultThreshold = false)
    {
        long traps = 0;
        int finished = 0;
        string? unfinished = null;
        for (int seed = firstSeed; seed < firstSeed + programs; seed++)
        {
            string body = StraightLineProgram(seed, length, rounds);
            var run = Snippet.Run(body, ExecMode.Blocks, budget: 50_000 * rounds, expectExit: false);
            var blocks = Capture(run);
            // A program whose stores wreck its own control flow may not finish; the comparison at the
            // exhausted budget is still exact, but most programs must finish for the test to mean much.
            if (blocks.Exit == "ProgramExited 0") finished++;
            else unfinished ??= $"seed {seed}: {blocks.Exit} pc=0x{run.Hart.Pc:x8} mcause=0x{run.Hart.MCause:x} mepc=0x{run.Hart.MEpc:x8} mtval=0x{run.Hart.MTval:x8} traps={run.Hart[30]}";
            var others = modes.Select(m => (m.ToString(), Snippet.Run(body, m, budget: 50_000 * rounds, expectExit: false))).ToList();
            if (defaultThreshold)
                others.Add(("Translated at the default threshold", Snippet.Run(body, ExecMode.Blocks, budget: 50_000 * rounds, expectExit: false,
                    setup: (m, _) => m.Bus.TranslationThreshold = AddressSpace.DefaultTranslationThreshold)));
            foreach (var (mode, outcome) in others)
            {
                // Trapping instructions use up budget per hart quantum, so a run that ends by
                // exhausting its budget is comparable only between modes with the same quantum.
                if (blocks.Exit != "ProgramExited 0" && mode is nameof(ExecMode.Steps) or nameof(ExecMode.SlowPath)) continue;
                var other = Capture(outcome);
                string where = $"seed {seed}, Blocks vs {mode}";
                Assert.Equal(blocks.Exit, other.Exit);
                for (int r = 0; r < 32; r++)
                    Assert.True(blocks.Registers[r] == other.Registers[r], $"{where}: x{r} 0x{blocks.Registers[r]:x8} vs 0x{other.Registers[r]:x8}");
                Assert.True(blocks.Pc == other.Pc, $"{where}: pc");
                Assert.True(blocks.Instret == other.Instret, $"{where}: instret {blocks.Instret} vs {other.Instret}");
                Assert.True(blocks.Cycle == other.Cycle, $"{where}: cycle {blocks.Cycle} vs {other.Cycle}");
                Assert.True(blocks.Csrs.SequenceEqual(other.Csrs), $"{where}: CSRs {string.Join(",", blocks.Csrs.Select(c => c.ToString("x")))} vs {string.Join(",", other.Csrs.Select(c => c.ToString("x")))}");
                int diff = blocks.Ram.AsSpan().CommonPrefixLength(other.Ram);
                Assert.True(diff == blocks.Ram.Length, $"{where}: RAM differs at 0x{0x8000_0000u + (uint)diff:x8}");
            }
            traps += blocks.Registers[30];
        }
        Assert.True(finished >= programs * 9 / 10, $"only {finished} of {programs} programs reached their exit; first that did not: {unfinished}");
        return traps;
    }
}
