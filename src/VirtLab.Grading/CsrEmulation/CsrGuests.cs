using static System.FormattableString;

namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// The guest programs of exercise 1, each written to exercise one part of the emulation. Each
/// prints what it reads with <c>puthex</c> (eight hex digits and a newline, through the console
/// hypercall) and shuts down with the XOR of everything it printed as its exit code. The numbers
/// the programs write come from the variant's seed, so each student's guests differ.
/// </summary>
public static class CsrGuests
{
    /// <summary>The programs, by name, with what each exercises.</summary>
    private static readonly Dictionary<string, (string What, int Vcpus, Func<Random, string> Body)> Programs = new(StringComparer.Ordinal)
    {
        ["csr-instructions"] = ("all six CSR instructions on mscratch, the rd = x0 and source = 0 rules, legal values of mstatus, mie, mtvec, mepc", 1, CsrInstructions),
        ["illegal-csr"] = ("CSRs the guest does not have, writes to read-only CSRs, and the reads of them that are legal", 1, IllegalCsr),
        ["trap-and-return"] = ("the guest's own traps and mret: MIE, MPIE and MPP on the way in and out", 1, TrapAndReturn),
        ["timer-and-wfi"] = ("timer interrupts while the guest waits in wfi, and a wfi with interrupts masked", 1, TimerAndWfi),
        ["two-vcpus"] = ("per-vCPU CSRs, mhartid, and an inter-processor interrupt that wakes a vCPU from wfi", 2, TwoVcpus),
    };

    /// <summary>The names a test's <c>guest</c> parameter may take.</summary>
    public static IReadOnlyList<string> Names => [.. Programs.Keys];

    /// <summary>What the program <paramref name="name"/> exercises.</summary>
    public static string Describe(string name) => Programs.TryGetValue(name, out var p) ? p.What : "unknown guest";

    /// <summary>The vCPUs the program <paramref name="name"/> runs on.</summary>
    internal static int VcpusOf(string name) => Programs[name].Vcpus;

    /// <summary>The assembly of program <paramref name="name"/> with the numbers of <paramref name="seed"/>.</summary>
    internal static string Source(string name, int seed) =>
        "    .text\n    .globl _start\n_start:\n    li      s11, 0                  # XOR of everything printed: the exit code\n"
        + Programs[name].Body(new Random(seed)) + Library;

    private static string Hex(uint value) => Invariant($"0x{value:x8}");

    private static uint Word(Random random) => (uint)random.NextInt64(0x1000, 0xFFFF_FFFF);

    private const string Magic = "0x564C4142";

    /// <summary>puthex and shutdown: hypercalls, which the hypervisor serves itself (they are not the emulator's).</summary>
    private const string Library = $"""

        # shutdown(s11): the exit code is the XOR of everything printed.
        shutdown:
            mv      a0, s11
            li      a6, 6
            li      a7, {Magic}
            ecall
        1:  j       1b

        # puthex(a0): prints a0 as eight hex digits and a newline; folds it into s11. Uses t0..t3, a6, a7.
        puthex:
            mv      t3, a0
            xor     s11, s11, a0
            li      t1, 28
        1:  srl     t0, t3, t1
            andi    t0, t0, 15
            li      t2, 10
            blt     t0, t2, 2f
            addi    a0, t0, 87              # 'a' - 10
            j       3f
        2:  addi    a0, t0, 48              # '0'
        3:  li      a6, 0
            li      a7, {Magic}
            ecall
            addi    t1, t1, -4
            bgez    t1, 1b
            li      a0, 10
            li      a6, 0
            li      a7, {Magic}
            ecall
            mv      a0, t3
            ret

        """;

    private static string CsrInstructions(Random r)
    {
        uint a = Word(r), b = Word(r), vector = (Word(r) & ~3u & 0x7FFF_FFFF) | 2, epc = Word(r) | 3;
        int i1 = r.Next(1, 32), i2 = r.Next(1, 32), i3 = r.Next(1, 32);
        return $"""
                li      s0, {Hex(a)}
                csrw    mscratch, s0                # csrrw with rd = x0
                csrr    a0, mscratch
                call    puthex
                li      t4, {Hex(b)}
                csrrs   a0, mscratch, t4            # old value out, bits set
                call    puthex
                csrr    a0, mscratch
                call    puthex
                csrrc   a0, mscratch, s0            # old value out, bits cleared
                call    puthex
                csrrwi  a0, mscratch, {i1}
                call    puthex
                csrrsi  a0, mscratch, {i2}
                call    puthex
                csrrci  a0, mscratch, {i3}
                call    puthex
                csrrs   a0, mscratch, zero          # a read: no write
                call    puthex
                csrrw   a0, mscratch, s0            # a swap
                call    puthex
                csrrs   zero, mscratch, t4          # rd = x0: the write still happens
                csrr    a0, mscratch
                call    puthex
                csrrc   zero, mscratch, zero
                li      t4, -1
                csrw    mstatus, t4                 # only the writable bits stick
                csrr    a0, mstatus
                call    puthex
                csrw    mstatus, zero
                csrrw   a0, mie, t4
                call    puthex
                csrr    a0, mie
                call    puthex
                csrw    mie, zero
                csrr    a0, misa
                call    puthex
                csrr    a0, mhartid
                call    puthex
                li      t4, {Hex(vector)}
                csrw    mtvec, t4                   # mode 2 is reserved: the old mode stays
                csrr    a0, mtvec
                call    puthex
                li      t4, {Hex(epc)}
                csrw    mepc, t4                    # mepc is 4-byte aligned
                csrr    a0, mepc
                call    puthex
                j       shutdown
            """;
    }

    private static string IllegalCsr(Random r)
    {
        uint value = Word(r);
        string unknown = new[] { "0x7c0", "0x5c0", "0x800", "0x7a0" }[r.Next(4)];
        string supervisor = new[] { "sstatus", "sie", "sscratch", "satp" }[r.Next(4)];
        return $"""
                li      s1, 0                       # traps taken
                la      t4, handler
                csrw    mtvec, t4
                li      t4, {Hex(value)}
                csrr    a0, {unknown}               # no such CSR: illegal instruction
                mv      a0, s1
                call    puthex
                csrw    mvendorid, t4               # read-only: illegal
                mv      a0, s1
                call    puthex
                csrrs   a0, mvendorid, zero         # reading it is fine
                call    puthex
                csrrsi  a0, mhartid, 0
                call    puthex
                csrrci  zero, mimpid, 0
                csrrs   a0, cycle, t4               # a write to a read-only counter: illegal
                mv      a0, s1
                call    puthex
                csrrw   zero, misa, t4              # misa is writable, and ignores it
                csrr    a0, misa
                call    puthex
                csrr    a0, {supervisor}            # the guest has no S-mode
                mv      a0, s1
                call    puthex
                csrrw   a0, mscratch, t4
                csrr    a0, mscratch
                call    puthex
                j       shutdown

                .balign 4
            handler:                                # print mcause and mtval, skip the instruction
                addi    s1, s1, 1
                csrr    a0, mcause
                call    puthex
                csrr    a0, mtval
                call    puthex
                csrr    t5, mepc
                addi    t5, t5, 4
                csrw    mepc, t5
                mret
            """;
    }

    private static string TrapAndReturn(Random r)
    {
        uint marker = Word(r);
        if (marker == 0x564C_4142) marker ^= 1;   // anything but the hypercall magic: the ecall is the guest's own
        uint scratch = Word(r);
        return $"""
                li      s1, 0                       # which ecall this is
                la      t4, handler
                csrw    mtvec, t4
                li      t4, {Hex(scratch)}
                csrw    mscratch, t4
                li      a7, {Hex(marker)}           # not the hypercall magic: the guest's own ecall
                csrsi   mstatus, 8                  # MIE = 1
                ecall
                csrr    a0, mstatus                 # back: MIE = MPIE = 1
                call    puthex
                csrci   mstatus, 8                  # MIE = 0
                li      a7, {Hex(marker)}
                ecall
                csrr    a0, mstatus
                call    puthex
                li      a7, {Hex(marker)}
                ecall                               # the handler clears MPIE this time
                csrr    a0, mstatus
                call    puthex
                la      t4, landed                  # an mret with no trap: to mepc, with MPP = M and MPIE = 1
                csrw    mepc, t4
                li      t4, 0x1880
                csrs    mstatus, t4
                mret
                li      a0, 0xbad
                call    puthex
            landed:
                csrr    a0, mstatus
                call    puthex
                csrr    a0, mscratch
                call    puthex
                csrci   mstatus, 8
                j       shutdown

                .balign 4
            handler:
                addi    s1, s1, 1
                csrr    a0, mstatus                 # in the handler: MIE = 0, MPIE = the old MIE, MPP = M
                call    puthex
                csrr    a0, mcause
                call    puthex
                csrr    a0, mepc
                la      t5, _start
                sub     a0, a0, t5                  # where, relative to the program
                call    puthex
                li      t5, 3
                bne     s1, t5, 1f
                li      t5, 0x80
                csrc    mstatus, t5                 # MPIE = 0
            1:  csrr    t5, mepc
                addi    t5, t5, 4
                csrw    mepc, t5
                li      a7, 0
                mret
            """;
    }

    private static string TimerAndWfi(Random r)
    {
        int ticks = r.Next(3, 7), period = r.Next(300, 900);
        return $"""
                li      s1, 0                       # timer interrupts taken
                li      s3, 0                       # times round the wfi loop
                la      t4, handler
                csrw    mtvec, t4
                call    arm
                li      t4, 0x80
                csrs    mie, t4                     # MTIE
                csrsi   mstatus, 8                  # MIE
            loop:
                addi    s3, s3, 1
                wfi                                 # sleep until the timer fires
                li      t4, {ticks}
                blt     s1, t4, loop
                csrci   mstatus, 8                  # interrupts masked ...
                call    arm
                wfi                                 # ... yet wfi wakes when one is pending and enabled in mie
                csrr    a0, mip
                call    puthex
                csrr    a0, mstatus
                call    puthex
                mv      a0, s1
                call    puthex
                mv      a0, s3
                call    puthex
                j       shutdown

            # arm: the next timer interrupt {period} mtime ticks from now (hypercalls get-time and set-timer).
            arm:
                li      a6, 2
                li      a7, {Magic}
                ecall                               # a1, a2 = mtime
                li      t0, {period}
                add     a0, a1, t0
                sltu    t1, a0, a1
                add     a1, a2, t1
                li      a6, 1
                li      a7, {Magic}
                ecall
                ret

                .balign 4
            handler:
                addi    s1, s1, 1
                csrr    s4, mcause
                mv      s5, ra
                call    arm                         # also clears the pending interrupt
                mv      ra, s5
                mret
            """;
    }

    private static string TwoVcpus(Random r)
    {
        uint scratch = Word(r) & ~0xFu;
        return $"""
                csrr    s5, mhartid
                li      t4, {Hex(scratch)}
                add     t4, t4, s5
                csrw    mscratch, t4                # each vCPU its own mscratch
                bnez    s5, hart1
                la      t0, ready
            1:  lw      t1, 0(t0)
                beqz    t1, 1b
                li      t0, 0x02000004              # msip of hart 1: the IPI
                li      t1, 1
                sw      t1, 0(t0)
                la      t0, done
            2:  lw      t1, 0(t0)
                beqz    t1, 2b
                csrr    a0, mscratch
                call    puthex
                csrr    a0, mhartid
                call    puthex
                la      t0, report
                lw      a0, 0(t0)
                call    puthex
                j       shutdown

            hart1:
                la      t4, handler
                csrw    mtvec, t4
                li      t4, 8
                csrs    mie, t4                     # MSIE
                csrsi   mstatus, 8
                la      t0, ready
                li      t1, 1
                sw      t1, 0(t0)
            3:  wfi
                j       3b

                .balign 4
            handler:
                li      t0, 0x02000004
                sw      zero, 0(t0)                 # acknowledge
                csrr    t1, mcause
                csrr    t2, mscratch
                xor     t1, t1, t2
                csrr    t2, mstatus
                xor     t1, t1, t2
                la      t0, report
                sw      t1, 0(t0)
                la      t0, done
                li      t2, 1
                sw      t2, 0(t0)
            4:  wfi                                 # MIE is off in the handler: sleeps for good
                j       4b

                .data
            ready:  .word 0
            done:   .word 0
            report: .word 0
                .text
            """;
    }
}
