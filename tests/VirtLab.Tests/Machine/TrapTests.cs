using VirtLab.Machine;

namespace VirtLab.Tests.Machine;

/// <summary>
/// Trap and CSR behaviour from the RISC-V Privileged Specification (1.12): exceptions with their
/// mcause/mepc/mtval, mstatus on trap entry and mret, WARL fields, counters, interrupts and WFI.
/// Snippets trap to <c>__exit</c> unless they install their own handler.
/// </summary>
public class TrapTests
{
    private const uint Illegal = 2, Breakpoint = 3, LoadFault = 5, StoreFault = 7, EcallU = 8, EcallM = 11, Misaligned = 0;
    private const uint TimerIrq = 0x8000_0007, SoftwareIrq = 0x8000_0003;

    /// <summary>Drops to U-mode at label <c>user</c>: MPP := U, mepc := user, mret.</summary>
    private const string ToUser = """
            la t0, user
            csrw mepc, t0
            li t0, 0x1800
            csrc mstatus, t0
            mret
        user:
        """;

    private static void AssertTrap(Outcome r, uint cause, uint epc, uint tval)
    {
        Assert.True(r.Trapped, "expected a trap");
        Assert.Equal($"mcause=0x{cause:x} mepc=0x{epc:x8} mtval=0x{tval:x8}",
                     $"mcause=0x{r.Hart.MCause:x} mepc=0x{r.Hart.MEpc:x8} mtval=0x{r.Hart.MTval:x8}");
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void EcallFromMachineMode(ExecMode mode)
    {
        var r = Snippet.Run("nop\nbad: ecall\nli a0, 1", mode);
        AssertTrap(r, EcallM, r.Symbol("bad"), 0);
        Assert.Equal(0u, r["a0"]);
        Assert.Equal(Privilege.Machine, r.Hart.Privilege);
        Assert.Equal(3u, (r.Hart.MStatus >> 11) & 3);   // MPP = M
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void EcallFromUserMode(ExecMode mode)
    {
        var r = Snippet.Run(ToUser + "bad: ecall", mode);
        AssertTrap(r, EcallU, r.Symbol("bad"), 0);
        Assert.Equal(0u, (r.Hart.MStatus >> 11) & 3);   // MPP = U
        Assert.Equal(Privilege.Machine, r.Hart.Privilege);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void EbreakPutsPcInMtval(ExecMode mode)
    {
        var r = Snippet.Run("li a0, 1\nbad: ebreak", mode);
        AssertTrap(r, Breakpoint, r.Symbol("bad"), r.Symbol("bad"));
    }

    public static TheoryData<string, uint, ExecMode> IllegalWords()
    {
        var d = new TheoryData<string, uint, ExecMode>();
        foreach (var mode in Snippet.AllModes)
        {
            d.Add("all ones", 0xFFFF_FFFF, mode);
            d.Add("all zeros", 0x0000_0000, mode);
            d.Add("slli with shamt[5]=1 (slli a0, a0, 32)", 0x0205_1513, mode);
            d.Add("srli with shamt[5]=1", 0x0205_5513, mode);
            d.Add("srai with shamt[5]=1", 0x4205_5513, mode);
            d.Add("add with bad funct7", 0x0400_0533, mode);
            d.Add("load funct3=3 (ld)", 0x0000_3503, mode);
            d.Add("store funct3=3 (sd)", 0x00A0_3023, mode);
            d.Add("jalr funct3=1", 0x0000_1567, mode);
            d.Add("branch funct3=2", 0x0000_2063, mode);
            d.Add("system funct3=4", 0x0000_4073, mode);
            d.Add("unimplemented CSR satp (csrr a0, satp)", 0x1800_2573, mode);
            d.Add("unimplemented CSR medeleg", 0x3020_2573, mode);
            d.Add("csrw cycle (read-only)", 0xC005_9073, mode);
            d.Add("csrw instret (read-only)", 0xC025_9073, mode);
            d.Add("csrwi time, 0 (read-only, csrrwi always writes)", 0xC010_5073, mode);
            d.Add("csrs mvendorid, a1 (read-only)", 0xF115_A073, mode);
            d.Add("csrw mhartid (read-only)", 0xF145_9073, mode);
            d.Add("ecall with rd != 0", 0x0000_00F3, mode);
            d.Add("sret (no S-mode)", 0x1020_0073, mode);
            d.Add("fence.i with funct3 2", 0x0000_200F, mode);
            d.Add("compressed-looking low bits", 0x0000_0001, mode);
        }
        return d;
    }

    [Theory, MemberData(nameof(IllegalWords))]
    public void IllegalInstructionPutsTheBitsInMtval(string name, uint word, ExecMode mode)
    {
        var r = Snippet.Run($"li a1, 1\nbad: .word 0x{word:x8}\nli a0, 1", mode);
        Assert.True(r.Trapped, $"{name} did not trap");
        AssertTrap(r, Illegal, r.Symbol("bad"), word);
        Assert.Equal(0u, r["a0"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void PureReadsOfReadOnlyCountersDoNotTrap(ExecMode mode)
    {
        var r = Snippet.Run("""
            csrr a0, cycle
            csrrs x0, instret, x0
            csrrc a1, time, x0
            csrrsi a2, cycleh, 0
            csrrci a3, instreth, 0
            csrr a4, mvendorid
            csrr a5, mhartid
            csrr a6, marchid
            csrr a7, mimpid
            """, mode);
        Assert.False(r.Trapped, $"mcause=0x{r.Hart.MCause:x}");
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void MretFromUserModeIsIllegal(ExecMode mode)
    {
        var r = Snippet.Run(ToUser + "bad: mret", mode);
        AssertTrap(r, Illegal, r.Symbol("bad"), 0x3020_0073);
        Assert.Equal(0u, (r.Hart.MStatus >> 11) & 3);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void MachineCsrsAreIllegalFromUserMode(ExecMode mode)
    {
        var r = Snippet.Run(ToUser + "bad: csrr a0, mscratch", mode);
        AssertTrap(r, Illegal, r.Symbol("bad"), 0x3400_2573);
    }

    // ---- misaligned instruction fetch (no C extension) ----

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void JalToMisalignedTargetTrapsOnTheJumpAndLeavesRdAlone(ExecMode mode)
    {
        // jal ra, +2
        var r = Snippet.Run("li ra, 0x1234\nbad: .word 0x002000ef\nnop", mode);
        AssertTrap(r, Misaligned, r.Symbol("bad"), r.Symbol("bad") + 2);
        Assert.Equal(0x1234u, r["ra"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void JalrToMisalignedTargetTrapsOnTheJumpAndLeavesRdAlone(ExecMode mode)
    {
        var r = Snippet.Run("la a1, target\naddi a1, a1, 2\nli ra, 0x1234\nbad: jalr ra, 0(a1)\nnop\ntarget: nop", mode);
        AssertTrap(r, Misaligned, r.Symbol("bad"), r.Symbol("target") + 2);
        Assert.Equal(0x1234u, r["ra"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void JalrToOddButWordAlignedAfterClearingBit0DoesNotTrap(ExecMode mode)
    {
        var r = Snippet.Run("la a1, target\naddi a1, a1, 1\nli a0, 1\njalr ra, 0(a1)\nli a0, 2\ntarget: nop", mode);
        Assert.False(r.Trapped);
        Assert.Equal(1u, r["a0"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void TakenBranchToMisalignedTargetTraps(ExecMode mode)
    {
        // beq x0, x0, +6
        var r = Snippet.Run("nop\nbad: .word 0x00000363\nnop\nnop", mode);
        AssertTrap(r, Misaligned, r.Symbol("bad"), r.Symbol("bad") + 6);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void NotTakenBranchToMisalignedTargetDoesNotTrap(ExecMode mode)
    {
        // bne x0, x0, +6
        var r = Snippet.Run("li a0, 1\n.word 0x00001363\nli a0, 2\nnop", mode);
        Assert.False(r.Trapped);
        Assert.Equal(2u, r["a0"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void MtvecPointingOutsideRamRaisesFetchFaults(ExecMode mode)
    {
        // Nothing executes at 0x40000000; the machine must not hang on the endless fetch-fault loop.
        var r = Snippet.Run("li t0, 0x40000000\ncsrw mtvec, t0\necall", mode, budget: 10_000, expectExit: false);
        Assert.Equal(ExitReason.InstructionBudgetExhausted, r.Result.Reason);
        Assert.Equal(1u, r.Hart.MCause);   // instruction access fault
        Assert.Equal(0x4000_0000u, r.Hart.MTval);
    }

    // ---- data access faults ----

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void LoadFromUnmappedAddressFaults(ExecMode mode)
    {
        var r = Snippet.Run("li a1, 0x40000000\nli a0, 7\nbad: lw a0, 4(a1)", mode);
        AssertTrap(r, LoadFault, r.Symbol("bad"), 0x4000_0004);
        Assert.Equal(7u, r["a0"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void StoreFromUnmappedAddressFaults(ExecMode mode)
    {
        var r = Snippet.Run("li a1, 0x40000000\nbad: sb a0, -1(a1)", mode);
        AssertTrap(r, StoreFault, r.Symbol("bad"), 0x3FFF_FFFF);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void LoadJustPastTheEndOfRamFaults(ExecMode mode)
    {
        // The snippet machine has 1 MiB of RAM: 0x80000000..0x800fffff.
        var r = Snippet.Run("li a1, 0x80100000\nbad: lbu a0, 0(a1)", mode);
        AssertTrap(r, LoadFault, r.Symbol("bad"), 0x8010_0000);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void FetchFromUnmappedAddressFaults(ExecMode mode)
    {
        var r = Snippet.Run("li a1, 0x40000000\nbad: jalr ra, 0(a1)", mode);
        AssertTrap(r, 1, 0x4000_0000, 0x4000_0000);
        Assert.Equal(r.Symbol("bad") + 4, r["ra"]);   // the jump itself retired
    }

    // ---- misaligned data: done in hardware (VirtLab's documented choice) ----

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void MisalignedLoadsAndStoresWork(ExecMode mode)
    {
        var r = Snippet.Run("""
            .data
            buf: .word 0x44332211, 0x88776655
            .text
            la a1, buf
            lw a0, 1(a1)
            lh a2, 3(a1)
            lhu a3, 3(a1)
            li t0, 0xaabbccdd
            sw t0, 3(a1)
            lw a4, 0(a1)
            lw a5, 4(a1)
            """, mode);
        Assert.False(r.Trapped);
        Assert.Equal(0x5544_3322u, r["a0"]);
        Assert.Equal(0x0000_5544u, r["a2"]);
        Assert.Equal(0x0000_5544u, r["a3"]);
        Assert.Equal(0xDD33_2211u, r["a4"]);
        Assert.Equal(0x88AA_BBCCu, r["a5"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void MisalignedAccessAcrossAPageBoundaryWorks(ExecMode mode)
    {
        var r = Snippet.Run("""
            .data
            .align 12
            page0: .space 4092
            w0: .word 0x44332211
            page1: .word 0x88776655
            .text
            la a1, page1
            lw a0, -2(a1)
            lh a2, -1(a1)
            li t0, 0xa1b2c3d4
            sw t0, -1(a1)
            lw a3, -4(a1)
            lw a4, 0(a1)
            sh t0, -1(a1)
            lw a5, -4(a1)
            lw a6, 0(a1)
            """, mode);
        Assert.False(r.Trapped);
        Assert.Equal(0x6655_4433u, r["a0"]);
        Assert.Equal(0x0000_5544u, r["a2"]);
        Assert.Equal(0xD433_2211u, r["a3"]);
        Assert.Equal(0x88A1_B2C3u, r["a4"]);
        Assert.Equal(0xD433_2211u, r["a5"]);
        Assert.Equal(0x88A1_B2C3u, r["a6"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void MisalignedStoreStraddlingTheEndOfRamFaultsWithoutWriting(ExecMode mode)
    {
        var r = Snippet.Run("li a1, 0x800ffffe\nli t0, 0x11223344\nsh zero, 0(a1)\nbad: sw t0, 0(a1)", mode);
        AssertTrap(r, StoreFault, r.Symbol("bad"), 0x800F_FFFE);
        Assert.Equal(0u, r.Word(0x800F_FFFC) >> 16);
    }

    // ---- mtvec modes ----

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void VectoredMtvecSendsExceptionsToBaseAndInterruptsToBasePlus4TimesCause(ExecMode mode)
    {
        var r = Snippet.Run("""
                la t0, table
                ori t0, t0, 1
                csrw mtvec, t0
                ecall                       # exception: to base
                li t0, 8
                csrs mie, t0                # MSIE
                li t1, 0x02000000
                li t0, 1
                sw t0, 0(t1)                # msip = 1
                csrsi mstatus, 8            # MIE: interrupt now
                j __exit
            .align 6
            table:
                j on_exception              # +0
                .word 0, 0                  # +4, +8
                j on_software               # +12 = 4 * 3
                .word 0, 0, 0
                j __exit                    # +28 = 4 * 7
            on_exception:
                csrr s0, mcause
                csrr t0, mepc
                addi t0, t0, 4
                csrw mepc, t0
                mret
            on_software:
                csrr s1, mcause
                li t1, 0x02000000
                sw zero, 0(t1)
                li s2, 1
                j __exit
            """, mode);
        Assert.Equal(EcallM, r["s0"]);
        Assert.Equal(SoftwareIrq, r["s1"]);
        Assert.Equal(1u, r["s2"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void DirectMtvecSendsInterruptsToBase(ExecMode mode)
    {
        var r = Snippet.Run("""
                la t0, handler
                csrw mtvec, t0
                li t0, 8
                csrs mie, t0
                li t1, 0x02000000
                li t0, 1
                sw t0, 0(t1)
                csrsi mstatus, 8
            after:
                nop
                j __exit
            .align 2
            handler:
                li t1, 0x02000000
                sw zero, 0(t1)
                j __exit
            """, mode);
        AssertTrap(r, SoftwareIrq, r.Symbol("after"), 0);
    }

    [Fact]
    public void MtvecModeIsWarl()
    {
        var r = Snippet.Run("li t0, 0x80000103\ncsrw mtvec, t0\ncsrr a0, mtvec\nli t0, 0x80000201\ncsrw mtvec, t0\ncsrr a1, mtvec");
        Assert.True((r["a0"] & 3) <= 1, "mode 3 is reserved and must not be kept");
        Assert.Equal(0x8000_0100u, r["a0"] & ~3u);
        Assert.Equal(0x8000_0201u, r["a1"]);
    }

    // ---- mstatus across trap entry and mret ----

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void TrapEntryAndMretUpdateMieMpieMpp(ExecMode mode)
    {
        var r = Snippet.Run("""
                la t0, handler
                csrw mtvec, t0
                csrsi mstatus, 8            # MIE = 1 (no interrupt enabled in mie)
                ecall
                csrr s1, mstatus            # after mret from M: MIE = 1, MPIE = 1, MPP = U
                j __exit
            handler:
                csrr s0, mstatus            # on entry: MIE = 0, MPIE = 1, MPP = M
                csrr t0, mepc
                addi t0, t0, 4
                csrw mepc, t0
                mret
            """, mode);
        Assert.Equal(0x80u | 0x1800, r["s0"] & 0x1888);
        Assert.Equal(0x88u, r["s1"] & 0x1888);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void MretToUserRestoresMieFromMpie(ExecMode mode)
    {
        var r = Snippet.Run("""
                li t0, 0x80                 # MPIE = 1, MIE = 0, MPP = U
                csrw mstatus, t0
                la t0, user
                csrw mepc, t0
                mret
            user:
                ecall                       # from U: MPIE := MIE (1), MPP := U
            """, mode);
        Assert.Equal(EcallU, r.Hart.MCause);
        Assert.Equal(0x80u, r.Hart.MStatus & 0x1888);
    }

    [Fact]
    public void MppIsWarlAndOnlyHoldsMOrU()
    {
        var r = Snippet.Run("""
            li t0, 0x800
            csrw mstatus, t0
            csrr a0, mstatus
            li t0, 0x1000
            csrw mstatus, t0
            csrr a1, mstatus
            li t0, 0x1800
            csrw mstatus, t0
            csrr a2, mstatus
            """);
        Assert.Equal(0u, r["a0"] & 0x1800);
        Assert.Equal(0u, r["a1"] & 0x1800);
        Assert.Equal(0x1800u, r["a2"] & 0x1800);
    }

    [Fact]
    public void MepcLowBitsAreCleared()
    {
        var r = Snippet.Run("li t0, 0x80000003\ncsrw mepc, t0\ncsrr a0, mepc\nli t0, 0x80000006\ncsrw mepc, t0\ncsrr a1, mepc");
        Assert.Equal(0x8000_0000u, r["a0"]);
        Assert.Equal(0x8000_0004u, r["a1"]);
    }

    [Fact]
    public void MisaSaysRv32Imu()
    {
        var r = Snippet.Run("csrr a0, misa\nli t0, -1\ncsrw misa, t0\ncsrr a1, misa");
        Assert.Equal(0x4010_1100u, r["a0"]);
        Assert.Equal(0x4010_1100u, r["a1"]);
    }

    [Fact]
    public void MhartidOnATwoHartMachine()
    {
        var r = Snippet.Run("""
                csrr s0, mhartid
                bnez s0, hart1
                la t3, flag
            wait:
                lw t0, 0(t3)
                beqz t0, wait
                j __exit
            hart1:
                la t1, flag
                addi t2, s0, 0x100
                sw t2, 0(t1)
            park:
                wfi
                j park
            .data
            flag: .word 0
            """, harts: 2, budget: 1_000_000);
        Assert.Equal(0u, r.Machine.Harts[0][8]);
        Assert.Equal(1u, r.Machine.Harts[1][8]);
        Assert.Equal(0x101u, r.Word("flag"));
        Assert.Equal(1u, r.Machine.Harts[1][10]);   // a0 = hart id at entry
    }

    // ---- mip ----

    [Fact]
    public void MipPendingBitsAreReadOnly()
    {
        var r = Snippet.Run("li t0, -1\ncsrw mip, t0\ncsrr a0, mip\ncsrs mip, t0\ncsrr a1, mip");
        Assert.False(r.Trapped);
        Assert.Equal(0u, r["a0"]);
        Assert.Equal(0u, r["a1"]);
        Assert.False(r.Machine.Clint.SoftwarePending(0));
    }

    [Fact]
    public void MieHoldsOnlyImplementedInterrupts()
    {
        var r = Snippet.Run("li t0, -1\ncsrw mie, t0\ncsrr a0, mie");
        Assert.Equal(0x888u, r["a0"]);
    }

    // ---- counters ----

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void MinstretCountsRetiredInstructions(ExecMode mode)
    {
        var r = Snippet.Run("csrr a0, minstret\nnop\nnop\ncsrr a1, minstret\ncsrr a2, instret\nsub a0, a1, a0\nsub a2, a2, a1", mode);
        Assert.Equal(3u, r["a0"]);
        Assert.Equal(1u, r["a2"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void WriteToMinstretSuppressesThatInstructionsIncrement(ExecMode mode)
    {
        var r = Snippet.Run("li t0, 100\ncsrw minstret, t0\ncsrr a0, minstret\ncsrr a1, minstret\nli t0, 7\ncsrw minstreth, t0\ncsrr a2, minstreth", mode);
        Assert.Equal(100u, r["a0"]);
        Assert.Equal(101u, r["a1"]);
        Assert.Equal(7u, r["a2"]);
        Assert.Equal(7ul, r.Hart.Instret >> 32);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void McycleAndItsHighHalf(ExecMode mode)
    {
        var r = Snippet.Run("li t0, -2\ncsrw mcycle, t0\nli t0, 3\ncsrw mcycleh, t0\ncsrr a0, mcycle\ncsrr a1, mcycleh\ncsrr a2, cycle\ncsrr a3, cycleh", mode);
        // mcycle = 0xfffffffe (write: no increment), li: 0xffffffff, csrw mcycleh (no increment): 0x3_ffffffff.
        Assert.Equal(0xFFFF_FFFFu, r["a0"]);   // read, then its own cycle carries into the high half
        Assert.Equal(4u, r["a1"]);
        Assert.Equal(0x0000_0001u, r["a2"]);
        Assert.Equal(4u, r["a3"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void InstretHighHalfCarries(ExecMode mode)
    {
        var r = Snippet.Run("li t0, -1\ncsrw minstret, t0\nnop\ncsrr a0, minstreth\ncsrr a1, minstret", mode);
        Assert.Equal(1u, r["a0"]);
        Assert.Equal(1u, r["a1"]);
    }

    public static TheoryData<string, int, ExecMode> UserCounters()
    {
        var d = new TheoryData<string, int, ExecMode>();
        foreach (var mode in Snippet.AllModes)
        {
            d.Add("cycle", 0, mode); d.Add("time", 1, mode); d.Add("instret", 2, mode);
            d.Add("cycleh", 0, mode); d.Add("timeh", 1, mode); d.Add("instreth", 2, mode);
        }
        return d;
    }

    [Theory, MemberData(nameof(UserCounters))]
    public void McounterenGatesUserReadsOfCounters(string counter, int bit, ExecMode mode)
    {
        var denied = Snippet.Run($"li t0, {~(1 << bit)}\ncsrw mcounteren, t0\n" + ToUser + $"bad: csrr a0, {counter}\nli a1, 1", mode);
        Assert.Equal(Illegal, denied.Hart.MCause);
        Assert.Equal(denied.Symbol("bad"), denied.Hart.MEpc);

        var allowed = Snippet.Run($"li t0, {1 << bit}\ncsrw mcounteren, t0\n" + ToUser + $"csrr a0, {counter}\nli a1, 1\necall", mode);
        Assert.Equal(EcallU, allowed.Hart.MCause);
        Assert.Equal(1u, allowed["a1"]);
    }

    // ---- interrupts ----

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void TimerInterruptIsTakenExactlyWhenEnabled(ExecMode mode)
    {
        var r = Snippet.Run("""
                li t1, 0x02004000           # mtimecmp = 0: pending at once
                sw zero, 0(t1)
                sw zero, 4(t1)
                li t0, 0x80
                csrs mie, t0                # MTIE, but mstatus.MIE still 0
                nop
                csrr s0, mip                # pending, not taken
                li s1, 1
                csrsi mstatus, 8            # enable: taken before the next instruction
            next:
                li s2, 1
            """, mode);
        AssertTrap(r, TimerIrq, r.Symbol("next"), 0);
        Assert.Equal(0x80u, r["s0"] & 0x80);
        Assert.Equal(1u, r["s1"]);
        Assert.Equal(0u, r["s2"]);
        Assert.Equal(0x80u, r.Hart.MStatus & 0x88);   // MPIE = 1, MIE = 0
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void TimerInterruptFiresAfterTheDeadlineInAStraightLoop(ExecMode mode)
    {
        var r = Snippet.Run("""
                la t0, handler
                csrw mtvec, t0
                li t1, 0x0200bff8
                lw t2, 0(t1)                # mtime (low word; small at start)
                addi t2, t2, 50             # 50 ticks = 500 cycles from now
                li t1, 0x02004000
                sw t2, 0(t1)
                sw zero, 4(t1)
                li t0, 0x80
                csrs mie, t0
                csrsi mstatus, 8
                li s0, 0
            loop:
                addi s0, s0, 1
                j loop
            handler:
                csrr s1, mcause
                csrr s3, mcycle
                j __exit
            """, mode, budget: 100_000);
        Assert.Equal(TimerIrq, r["s1"]);
        Assert.InRange(r["s0"], 200u, 260u);   // ~500 cycles / 2 instructions per iteration
        Assert.True(r.Machine.Clint.MTime >= r.Machine.Clint.MTimeCmp(0));
        Assert.True(r.Machine.Clint.MTime - r.Machine.Clint.MTimeCmp(0) <= 1, "interrupt taken late");
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void TimerInterruptInUserModeIgnoresMstatusMie(ExecMode mode)
    {
        var r = Snippet.Run("""
                li t1, 0x02004000
                sw zero, 0(t1)
                sw zero, 4(t1)
                li t0, 0x80
                csrs mie, t0

            """ + ToUser + """
                nop
                nop
            """, mode);
        Assert.Equal(TimerIrq, r.Hart.MCause);
        Assert.Equal(r.Symbol("user"), r.Hart.MEpc);
        Assert.Equal(0u, (r.Hart.MStatus >> 11) & 3);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void SoftwareInterruptHasPriorityOverTimer(ExecMode mode)
    {
        var r = Snippet.Run("""
                li t1, 0x02004000
                sw zero, 0(t1)
                sw zero, 4(t1)              # timer pending
                li t1, 0x02000000
                li t0, 1
                sw t0, 0(t1)                # software pending
                li t0, 0x88
                csrs mie, t0
                csrsi mstatus, 8
                nop
            """, mode);
        Assert.Equal(SoftwareIrq, r.Hart.MCause);
    }

    [Fact]
    public void ExternalInterruptHasPriorityOverSoftwareAndTimer()
    {
        var r = Snippet.Run("""
                li t1, 0x02004000
                sw zero, 0(t1)
                sw zero, 4(t1)
                li t1, 0x02000000
                li t0, 1
                sw t0, 0(t1)
                li t0, 0x888
                csrs mie, t0
                csrsi mstatus, 8
                nop
            """, setup: (_, hart) => hart.ExternalInterruptLine = true);
        Assert.Equal(0x8000_000Bu, r.Hart.MCause);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void WfiWakesOnATimerEvenWithInterruptsGloballyDisabled(ExecMode mode)
    {
        var r = Snippet.Run("""
                li t1, 0x0200bff8
                lw t2, 0(t1)
                addi t2, t2, 1000
                li t1, 0x02004000
                sw t2, 0(t1)
                sw zero, 4(t1)
                li t0, 0x80
                csrs mie, t0                # MTIE; mstatus.MIE stays 0
                wfi
                csrr s0, mip
                li t1, 0x0200bff8
                lw s1, 0(t1)
            """, mode);
        Assert.False(r.Trapped);
        Assert.Equal(0x80u, r["s0"] & 0x80);
        Assert.True(r["s1"] >= r.Machine.Clint.MTimeCmp(0));
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void WfiWithNothingEnabledDeadlocks(ExecMode mode)
    {
        var r = Snippet.Run("wfi\nli a0, 1", mode, expectExit: false);
        Assert.Equal(ExitReason.Deadlocked, r.Result.Reason);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void WfiInUserModeWithTwTraps(ExecMode mode)
    {
        var r = Snippet.Run("li t0, 0x200000\ncsrs mstatus, t0\n" + ToUser + "bad: wfi", mode);
        AssertTrap(r, Illegal, r.Symbol("bad"), 0x1050_0073);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void WfiInUserModeWithoutTwIsAHint(ExecMode mode)
    {
        var r = Snippet.Run("li t1, 0x02004000\nsw zero, 0(t1)\nsw zero, 4(t1)\nli t0, 0x80\ncsrs mie, t0\n" + ToUser + "wfi\nnop", mode);
        Assert.Equal(TimerIrq, r.Hart.MCause);   // interrupt was pending; in U-mode it is taken
    }

    // ---- self-modifying code ----

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void SelfModifyingCodeWithFenceI(ExecMode mode)
    {
        var r = Snippet.Run("""
                li s0, 0
                li s1, 3
            again:
                jal ra, patchme             # decode it once (fast path caches it)
                la t0, patchme
                li t1, 0x00a40413           # addi s0, s0, 10
                sw t1, 0(t0)
                fence.i
                addi s1, s1, -1
                bnez s1, again
                j __exit
            patchme:
                addi s0, s0, 1
                ret
            """, mode);
        Assert.Equal(21u, r["s0"]);   // 1 + 10 + 10
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void StoreIntoTheRunningBlockIsSeenByTheNextFetch(ExecMode mode)
    {
        // VirtLab's choice: stores to a page with decoded code invalidate it, so even without fence.i
        // the next fetch sees the new instruction (the spec allows this; fence.i is still needed for portability).
        var r = Snippet.Run("""
                la t0, target
                li t1, 0x02a00513           # li a0, 42
                li a0, 1
                sw t1, 0(t0)
            target:
                li a0, 7
            """, mode);
        Assert.Equal(42u, r["a0"]);
    }

    [Theory, MemberData(nameof(Snippet.Modes), MemberType = typeof(Snippet))]
    public void StoreIntoAnotherCodePageIsSeen(ExecMode mode)
    {
        var r = Snippet.Run("""
                jal ra, far                 # decode the far page
                mv s0, a0
                la t0, far
                li t1, 0x06300513           # li a0, 99
                sh t1, 0(t0)
                srli t1, t1, 16
                sh t1, 2(t0)                # two half stores: tears through the decoded slot
                fence.i
                jal ra, far
                mv s1, a0
                j __exit
            .align 12
            far:
                li a0, 5
                ret
            """, mode);
        Assert.Equal(5u, r["s0"]);
        Assert.Equal(99u, r["s1"]);
    }
}
