using VirtLab.Machine.Devices;

namespace VirtLab.Machine;

/// <summary>
/// A RISC-V hardware thread: 32 integer registers, a program counter, a privilege mode and the
/// machine-mode CSRs, executing RV32IM + Zicsr + Zifencei. A hart is the "CPU" of a RISC-V machine;
/// a multi-core machine has one hart per core (two per core with SMT).
/// <para>
/// The hart executes instructions in <em>blocks</em>: it checks for interrupts, works out how many
/// instructions may run before anything could change (the next timer deadline, the caller's
/// budget), and then runs that many without looking up again. Anything unusual (a CSR access, a
/// trap, a device access) ends the block, so interrupts are still taken at exactly the right
/// instruction. The hot loop is in <c>Hart.FastPath.cs</c>; the plain, one-instruction-at-a-time
/// reference interpreter that handles everything unusual is in <c>Hart.SlowPath.cs</c>.
/// </para>
/// <para>
/// Misaligned loads and stores are performed in hardware (as the RISC-V spec permits and Spike
/// does), including ones that straddle a page; only misaligned instruction fetch traps, because
/// without the C extension every instruction is 4-byte aligned.
/// </para>
/// </summary>
public sealed unsafe partial class Hart
{
    /// <summary>Register index that stands in for writes to x0 (see <see cref="DecodedInstruction"/>).</summary>
    internal const int ZeroSink = 32;

    /// <summary>misa for RV32 (MXL = 1 in bits 31:30) with extensions I, M and U.</summary>
    public const uint MisaValue = (1u << 30) | (1u << ('I' - 'A')) | (1u << ('M' - 'A')) | (1u << ('U' - 'A'));

    private readonly uint[] _registers = GC.AllocateArray<uint>(ZeroSink + 1, pinned: true);
    private readonly uint* _x;

    /// <summary>Creates a hart that sees <paramref name="memory"/>, in M-mode at <paramref name="resetVector"/>.</summary>
    public Hart(int hartId, AddressSpace memory, Clint? clint = null, uint resetVector = 0x8000_0000)
    {
        HartId = hartId;
        Memory = memory;
        Clint = clint;
        _x = (uint*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _registers[0]);
        Pc = resetVector;
    }

    /// <summary>This hart's number, as read from <c>mhartid</c>.</summary>
    public int HartId { get; }

    /// <summary>The physical address space this hart loads, stores and fetches through.</summary>
    public AddressSpace Memory { get; }

    /// <summary>The core-local interruptor that supplies this hart's timer and software interrupts.</summary>
    public Clint? Clint { get; }

    /// <summary>Address of the next instruction to execute.</summary>
    public uint Pc { get; set; }

    /// <summary>The current privilege mode.</summary>
    public Privilege Privilege { get; set; } = Privilege.Machine;

    /// <summary>Instructions retired since reset (the <c>minstret</c> counter).</summary>
    public ulong Instret { get; set; }

    /// <summary>
    /// Cycles since reset (the <c>mcycle</c> counter). In VirtLab's functional mode an instruction
    /// costs one cycle; time spent waiting in WFI and stall cycles charged by a timing model or a
    /// hypervisor add to cycles but not to instructions.
    /// </summary>
    public ulong Cycle { get; set; }

    /// <summary>
    /// Instructions this hart has retired, as the host counts them. Unlike <see cref="Instret"/>
    /// (minstret), the guest cannot write it, so measurements built on it cannot be fooled.
    /// </summary>
    public ulong Retired { get; private set; }

    /// <summary>True while the hart sleeps in WFI, waiting for an enabled interrupt to become pending.</summary>
    public bool IsWaitingForInterrupt { get; internal set; }

    /// <summary>Level of the machine external interrupt line (mip.MEIP), driven by an interrupt controller.</summary>
    public bool ExternalInterruptLine { get; set; }

    /// <summary>
    /// When set, traps do not enter the hart's own trap handler: the hart stops and hands the trap to
    /// this sink instead. A hypervisor sets it to receive VM exits from the deprivileged guest.
    /// </summary>
    public ITrapSink? TrapSink { get; set; }

    /// <summary>Set by a device (test finisher, HTIF) or by the host to end <see cref="Run"/> at the next block boundary.</summary>
    public bool StopRequested { get; set; }

    /// <summary>
    /// The address of the last instruction whose load, store or fetch asked the run to stop
    /// (<see cref="AddressSpace.RequestStopAfterAccess"/>): the device access or page fault that a
    /// hypervisor reports as a VM exit. The run stopped right after it.
    /// </summary>
    public uint StoppedAt { get; private set; }

    /// <summary>Reads integer register x<paramref name="index"/> (x0 always reads 0).</summary>
    public uint this[int index]
    {
        get => (uint)index < 32 ? _x[index] : throw new ArgumentOutOfRangeException(nameof(index));
        set
        {
            if ((uint)index >= 32) throw new ArgumentOutOfRangeException(nameof(index));
            if (index != 0) _x[index] = value;
        }
    }

    /// <summary>A copy of x0..x31.</summary>
    public uint[] Registers => _registers.AsSpan(0, 32).ToArray();

    /// <summary>
    /// Runs until <paramref name="maxInstructions"/> have retired, the hart waits in WFI, a stop is
    /// requested, or a trap goes to the <see cref="TrapSink"/>. Returns the instructions retired.
    /// Never throws because of what the guest does.
    /// </summary>
    public long Run(long maxInstructions)
    {
        long retired = 0, trapped = 0;
        // Trapping instructions retire nothing but still use up the budget: otherwise a trap loop
        // (mtvec pointing at memory that cannot be fetched) would never return.
        while (retired + trapped < maxInstructions && !StopRequested)
        {
            if (IsWaitingForInterrupt && !InterruptPendingAndEnabledForWakeup()) break;
            if (WakeAndTakeInterrupt() && PendingExit) break;
            long slice = maxInstructions - retired - trapped;
            ulong untilTimer = CyclesUntilTimerInterrupt();
            if ((ulong)slice > untilTimer) slice = (long)Math.Max(1, untilTimer);
            long ran = ExecuteBlock(slice);
            retired += ran;
            if (ran == 0) trapped++;
            if (PendingExit || IsWaitingForInterrupt) break;
        }
        return retired;
    }

    /// <summary>Executes exactly one instruction (or takes one pending interrupt). Used for tracing.</summary>
    public long Step() => Run(1);

    /// <summary>
    /// What <see cref="Run"/> does before each block: a hart waiting in wfi wakes when an enabled
    /// interrupt is pending, and a pending interrupt that can be taken is taken (pc moves to the
    /// handler). Returns whether one was taken. The machine's tracer calls it on its own, so that
    /// an interrupt is a step of the trace and not folded into the handler's first instruction.
    /// </summary>
    internal bool WakeAndTakeInterrupt()
    {
        if (IsWaitingForInterrupt)
        {
            if (!InterruptPendingAndEnabledForWakeup()) return false;
            IsWaitingForInterrupt = false;
        }
        return TakeInterruptIfAny();
    }

    /// <summary>True after a trap was handed to <see cref="TrapSink"/>; the sink clears it by calling <see cref="ClearExit"/>.</summary>
    public bool PendingExit { get; private set; }

    /// <summary>Acknowledges a VM exit so the hart can run again.</summary>
    public void ClearExit() => PendingExit = false;

    /// <summary>Adds stall cycles (charged by a timing model or a hypervisor) without retiring instructions.</summary>
    public void Stall(ulong cycles) => Cycle += cycles;

    // ---------------------------------------------------------------- interrupts and traps

    /// <summary>The mip register: pending interrupts, assembled from the CLINT and the external line.</summary>
    public uint Mip
    {
        get
        {
            uint mip = 0;
            if (Clint is not null)
            {
                if (Clint.SoftwarePending(HartId)) mip |= InterruptBits.MachineSoftware;
                if (Clint.TimerPending(HartId)) mip |= InterruptBits.MachineTimer;
            }
            if (ExternalInterruptLine) mip |= InterruptBits.MachineExternal;
            return mip;
        }
    }

    private bool InterruptPendingAndEnabledForWakeup() => (Mip & _mie) != 0;

    /// <summary>
    /// Takes the highest-priority interrupt that is pending, enabled in mie, and globally enabled
    /// (always in U-mode; in M-mode only when mstatus.MIE is set). Priority order from the
    /// privileged spec: external, software, timer.
    /// </summary>
    private bool TakeInterruptIfAny()
    {
        uint ready = Mip & _mie;
        if (ready == 0) return false;
        if (Privilege == Privilege.Machine && (_mstatus & MStatusBits.MIE) == 0) return false;
        TrapCause cause =
            (ready & InterruptBits.MachineExternal) != 0 ? TrapCause.MachineExternalInterrupt :
            (ready & InterruptBits.MachineSoftware) != 0 ? TrapCause.MachineSoftwareInterrupt :
            TrapCause.MachineTimerInterrupt;
        Trap(cause, 0);
        return true;
    }

    /// <summary>Cycles until the timer interrupt would become pending, if it could be taken; otherwise "never".</summary>
    private ulong CyclesUntilTimerInterrupt()
    {
        // While the timer cannot be taken, only a CSR write, mret or wfi can change that, and each of
        // those ends the block anyway: no need to cut blocks short.
        if (Clint is null || (_mie & InterruptBits.MachineTimer) == 0) return ulong.MaxValue;
        if (Privilege == Privilege.Machine && (_mstatus & MStatusBits.MIE) == 0) return ulong.MaxValue;
        ulong cycles = Clint.CyclesUntilTimer(HartId, Cycle);
        return cycles == 0 ? ulong.MaxValue : cycles;
    }

    /// <summary>
    /// Enters a trap as the privileged spec's "trap entry" describes: save pc in mepc, the cause
    /// in mcause, extra information in mtval; MPIE := MIE, MIE := 0, MPP := current privilege;
    /// then jump to mtvec (for interrupts in vectored mode, to base + 4 × cause).
    /// </summary>
    internal void Trap(TrapCause cause, uint tval)
    {
        if (TrapSink is not null)
        {
            PendingExit = true;
            TrapSink.OnTrap(this, cause, tval);
            return;
        }
        _mepc = Pc;
        _mcause = (uint)cause;
        _mtval = tval;
        uint mie = (_mstatus & MStatusBits.MIE) != 0 ? MStatusBits.MPIE : 0;
        _mstatus = (_mstatus & ~(MStatusBits.MIE | MStatusBits.MPIE | MStatusBits.MPP))
                   | mie | ((uint)Privilege << MStatusBits.MPPShift);
        Privilege = Privilege.Machine;
        uint tvecBase = _mtvec & ~3u;
        bool vectored = (_mtvec & 3) == 1;
        Pc = vectored && cause.IsInterrupt() ? tvecBase + 4 * cause.Code() : tvecBase;
        IsWaitingForInterrupt = false;
    }

    /// <summary>mret: privilege := MPP, MIE := MPIE, MPIE := 1, MPP := U (the least privileged mode), pc := mepc.</summary>
    private void ReturnFromTrap()
    {
        var previous = (Privilege)((_mstatus & MStatusBits.MPP) >> MStatusBits.MPPShift);
        uint mie = (_mstatus & MStatusBits.MPIE) != 0 ? MStatusBits.MIE : 0;
        _mstatus = (_mstatus & ~(MStatusBits.MIE | MStatusBits.MPP)) | mie | MStatusBits.MPIE
                   | ((uint)Privilege.User << MStatusBits.MPPShift);
        // mret out of M-mode into a less privileged mode clears MPRV (privileged spec 1.12, 3.1.6.3).
        if (previous != Privilege.Machine) _mstatus &= ~MStatusBits.MPRV;
        Privilege = previous;
        Pc = _mepc;
    }
}

/// <summary>Receives traps from a hart whose <see cref="Hart.TrapSink"/> is set: the hypervisor's VM-exit entry point.</summary>
public interface ITrapSink
{
    /// <summary>
    /// Called with the hart stopped at the trapping instruction (<see cref="Hart.Pc"/> points at it,
    /// or at the next instruction to run for an interrupt). The sink emulates, then calls
    /// <see cref="Hart.ClearExit"/> and runs the hart again.
    /// </summary>
    void OnTrap(Hart hart, TrapCause cause, uint tval);
}
