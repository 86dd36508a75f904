using VirtLab.Machine;
using VirtLab.Scheduling;

namespace VirtLab.Hypervisor;

/// <summary>
/// A virtual CPU: an emulated hart that runs the guest deprivileged (U-mode, with
/// <see cref="Hart.TrapSink"/> set to this vCPU), plus the machine-mode CSRs the guest believes it
/// has (<see cref="VirtualCsrs"/>).
/// <para>
/// Trap-and-emulate: every CSR access, <c>mret</c> and <c>wfi</c> (the real mstatus.TW is set) and
/// every <c>ecall</c> traps out of the guest. Device accesses and second-stage page faults happen
/// inside the guest's run; the device model or the memory completes the access, and the run stops
/// after that instruction. Either way the exit becomes one <see cref="VmExit"/> and goes through one
/// switch on its reason (<see cref="HandleExit"/>), in the style of KVM's table of exit handlers: one
/// handler per reason emulates the instruction against the virtual CSRs (through the VM's
/// <see cref="IInstructionEmulator"/>), serves the device or the fault, or reflects a fault of the
/// guest's own making into the guest's trap handler; then the switch counts the exit, charges its
/// cycles and resumes the guest. Virtual interrupts are injected through the same switch, by
/// performing the trap entry on the virtual CSRs and jumping to the virtual mtvec.
/// </para>
/// </summary>
public sealed class Vcpu : ITrapSink, ISchedulable
{
    /// <summary>
    /// Least cycles of guest execution between samples of what the guest executes (for the SMT core
    /// model; see <see cref="InstructionSampler"/>). A sample is taken where a run of the guest ends
    /// anyway (the end of its share of a scheduling step, a timer deadline) once this many cycles
    /// have passed since the last one, so sampling never cuts the guest's execution into shorter
    /// pieces: with the default step of 0.05 ms (5,000 cycles) that is about one sample in every
    /// three or four steps a vCPU runs. Sampling more often than that costs more host time than the guest's own
    /// execution would take, and a steady guest's profile does not change anyway.
    /// Counting cycles rather than instructions keeps the profile as fresh for slow, stalling code
    /// as for fast code.
    /// </summary>
    public const int SampleInterval = 16_384;
    /// <summary>Exceptions in a row without a retired instruction after which the guest is judged stuck in a fault loop.</summary>
    public const int FaultLoopLimit = 32;

    private TrapCause _trapCause;
    private uint _trapTval;
    private double _stallDebt;
    private double _cyclesSinceSample;
    private double _clock;   // the host cycle of the exits being handled (for the trace)
    private int _consecutiveFaults;
    private long _emulated;
    private readonly InstructionSampler _sampler;
    private readonly EmulationContext _emulation;
    /// <summary>
    /// Exits recorded but not yet through the switch: those of the access that ended the hart's run,
    /// and those the hypervisor caused itself while handling an exit (its read of a doorbell's page
    /// list faulted), which wait for the next round, before the guest's next instruction.
    /// </summary>
    private readonly List<VmExit> _recorded = new();

    internal Vcpu(VirtualMachine vm, int index, uint entry)
    {
        Vm = vm;
        Index = index;
        Hart = new Hart(index, vm.Memory.Space, clint: null, resetVector: entry)
        {
            TrapSink = this,
            Privilege = Privilege.User,
            MStatus = MStatusBits.TW,   // the real mstatus: WFI in U-mode traps
        };
        Hart[10] = (uint)index;          // a0 = hart id, as firmware passes it
        _sampler = new InstructionSampler(Hart, Profile);
        _emulation = new EmulationContext(this);
    }

    public VirtualMachine Vm { get; }
    /// <summary>This vCPU's number inside its VM (what the guest reads from mhartid).</summary>
    public int Index { get; }
    /// <summary>The emulated hart the guest runs on, in U-mode.</summary>
    public Hart Hart { get; }
    /// <summary>The machine-mode state the guest believes it has.</summary>
    public VirtualCsrs Csrs { get; } = new();
    /// <summary>This vCPU's exits by reason, and the cycles charged for them.</summary>
    public ExitCounters Exits { get; } = new();
    public string Name => $"{Vm.Name}/vcpu{Index}";
    public int Group => Vm.Id;
    public int Weight => Vm.Config.Weight;
    public int CapPercent => Vm.Config.CapPercent;
    public RunState State { get; internal set; } = RunState.Runnable;
    public SchedulingData Sched { get; } = new();
    public ExecutionProfile Profile { get; } = new();

    /// <summary>Guest instructions retired, counting those the hypervisor emulated.</summary>
    public ulong Instructions => Hart.Retired + (ulong)_emulated;

    /// <summary>The guest's view of mip: timer and software interrupts from the virtual CLINT.</summary>
    public uint VirtualMip =>
        (Vm.Clint.TimerPending(Index) ? InterruptBits.MachineTimer : 0) | (Vm.Clint.SoftwarePending(Index) ? InterruptBits.MachineSoftware : 0);

    // ------------------------------------------------------------------ running

    public ulong Run(ulong now, ulong budget, double ipc)
    {
        if (State != RunState.Runnable || budget == 0) return 0;
        var host = Vm.Host;
        double used = 0;
        if (_stallDebt > 0)
        {
            double pay = Math.Min(_stallDebt, budget);
            _stallDebt -= pay;
            used += pay;
        }
        Vm.GuestRunning = true;
        while (State == RunState.Runnable && used < budget)
        {
            ulong t = now + (ulong)used;
            host.Now = t;
            _clock = t;
            if (TryInjectInterrupt(ref used)) continue;
            long max = (long)((budget - used) * ipc);
            if (max < 1) break;
            if (InterruptCanBeTaken(InterruptBits.MachineTimer))
            {
                ulong deadline = Vm.Clint.DeadlineCycle(Index);
                if (deadline != ulong.MaxValue)
                {
                    long until = deadline > t ? (long)Math.Ceiling((deadline - t) * ipc) : 0;
                    if (until < max) max = Math.Max(1, until);
                }
            }
            // Exits the hypervisor caused while handling the last ones go through the switch before the guest runs on.
            long n = _recorded.Count > 0 ? 0 : Hart.Run(max);
            double ran = n / ipc;
            used += ran;
            if (n > 0) _consecutiveFaults = 0;
            _cyclesSinceSample += ran;
            if (n >= max && !Hart.PendingExit && _cyclesSinceSample >= SampleInterval)
            {
                _sampler.Sample();
                _cyclesSinceSample = 0;
            }
            Hart.StopRequested = false;
            _clock = now + used;
            used += HandleRecordedExits();
            if (Hart.PendingExit)
            {
                Hart.ClearExit();
                if (!ExecutesWithoutTrapping(_trapCause, _trapTval)) used += HandleExit(ExitOfTrap(_trapCause, _trapTval));
            }
        }
        Vm.GuestRunning = false;
        if (used > budget) { _stallDebt += used - budget; used = budget; }
        return (ulong)Math.Ceiling(used) > budget ? budget : (ulong)Math.Ceiling(used);
    }

    private bool InterruptCanBeTaken(uint bit) =>
        (Csrs.MStatus & MStatusBits.MIE) != 0 && (Csrs.Mie & bit) != 0;

    public bool WakeIfDue(ulong now)
    {
        if (State != RunState.Waiting) return false;
        if ((VirtualMip & Csrs.Mie) == 0) return false;
        State = RunState.Runnable;
        return true;
    }

    /// <summary>If an enabled virtual interrupt is pending and the guest has interrupts on, injects it: a timer or software-interrupt exit.</summary>
    private bool TryInjectInterrupt(ref double used)
    {
        uint ready = VirtualMip & Csrs.Mie;
        if (ready == 0 || (Csrs.MStatus & MStatusBits.MIE) == 0) return false;
        var exit = (ready & InterruptBits.MachineSoftware) != 0
            ? new VmExit { Reason = VmExitReason.SoftwareInterrupt, Cause = TrapCause.MachineSoftwareInterrupt }
            : new VmExit { Reason = VmExitReason.Timer, Cause = TrapCause.MachineTimerInterrupt };
        used += HandleExit(exit with { Vcpu = this, Pc = Hart.Pc });
        return true;
    }

    void ITrapSink.OnTrap(Hart hart, TrapCause cause, uint tval)
    {
        _trapCause = cause;
        _trapTval = tval;
    }

    // ------------------------------------------------------------------ exits

    /// <summary>
    /// What a trap of the deprivileged hart is, as an exit: a CSR access, mret or wfi (the
    /// instruction it could not execute in U-mode, which the hart reports as illegal), a hypercall
    /// (an ecall with the marker in a7), or a fault of the guest's own making.
    /// </summary>
    private VmExit ExitOfTrap(TrapCause cause, uint tval)
    {
        uint pc = Hart.Pc;
        var exit = new VmExit { Vcpu = this, Pc = pc, Instruction = cause == TrapCause.IllegalInstruction ? tval : InstructionAt(pc) };
        switch (cause)
        {
            case TrapCause.IllegalInstruction when CsrInstruction.TryDecode(tval, out var csr):
                return exit with { Reason = VmExitReason.CsrAccess, Value = csr.IsImmediate ? (uint)csr.Rs1 : Hart[csr.Rs1] };
            case TrapCause.IllegalInstruction when tval == InstructionSet.MretWord:
                return exit with { Reason = VmExitReason.PrivilegedInstruction };
            case TrapCause.IllegalInstruction when tval == InstructionSet.WfiWord:
                return exit with { Reason = VmExitReason.Wfi };
            case TrapCause.EnvironmentCallFromUMode when Hart[Hypercalls.MarkerRegister] == Hypercalls.Magic:
                return exit with { Reason = VmExitReason.Hypercall, Value = Hart[Hypercalls.FunctionRegister] };
            case TrapCause.EnvironmentCallFromUMode:
                // The guest believes it is in M-mode: its own ecall is an ecall from M.
                return exit with { Reason = VmExitReason.GuestException, Cause = TrapCause.EnvironmentCallFromMMode, Tval = 0 };
            default:
                return exit with { Reason = VmExitReason.GuestException, Cause = cause, Tval = tval };
        }
    }

    /// <summary>
    /// The flawed variant of the ISA (<see cref="HostConfig.PopfLikeFlaw"/>): csrs/csrc on mstatus
    /// do not trap in U-mode, like x86's POPF. Such an instruction is no exit at all: the hardware
    /// runs it, its write is lost and it reads the real mstatus. True if the trap was one of these.
    /// </summary>
    private bool ExecutesWithoutTrapping(TrapCause cause, uint tval)
    {
        if (!Vm.Host.Config.PopfLikeFlaw || cause != TrapCause.IllegalInstruction || !CsrInstruction.TryDecode(tval, out var csr)) return false;
        if (csr.Csr != Csr.MStatus || csr.Operation is not (CsrOperation.ReadSet or CsrOperation.ReadClear)) return false;
        Hart[csr.Rd] = Hart.MStatus;
        Hart.Pc += 4;
        _emulated++;
        return true;
    }

    /// <summary>Hands the exits recorded during the hart's run (or while the last exits were handled) to the switch, in the order they happened; returns the cycles charged.</summary>
    private double HandleRecordedExits()
    {
        if (Vm.HasRecordedExits) Vm.TakeRecordedExits(_recorded, this, Hart.StoppedAt, InstructionAt(Hart.StoppedAt));
        int count = _recorded.Count;
        if (count == 0) return 0;
        double cycles = 0;
        for (int i = 0; i < count; i++) cycles += HandleExit(_recorded[i]);
        _recorded.RemoveRange(0, count);   // what their handling recorded stays for the next round
        return cycles;
    }

    /// <summary>
    /// The exit switch: every exit, whatever route brought it to the hypervisor, is served by the
    /// handler of its reason. The switch then counts the exit, charges its cycles and, while the
    /// VM's <see cref="VirtualMachine.Trace"/> records, keeps it with the guest's state before and
    /// after. A handler returns the cycles to charge, or null when the exit ended in the VM being
    /// stopped instead (a fault loop, an emulator that failed): nothing is charged then.
    /// A handler may turn an exit into another reason: a CSR access the emulator refuses is
    /// reflected into the guest as an illegal instruction, a guest exception.
    /// </summary>
    private double HandleExit(VmExit exit)
    {
        var trace = Vm.Trace;
        var before = trace.IsRecording ? ExitTrace.GuestState.Of(this) : null;
        ulong? cycles = exit.Reason switch
        {
            VmExitReason.CsrAccess => HandleCsrAccess(ref exit),
            VmExitReason.PrivilegedInstruction => HandlePrivilegedInstruction(ref exit),
            VmExitReason.Wfi => HandleWfi(ref exit),
            VmExitReason.Hypercall => HandleHypercall(ref exit),
            VmExitReason.Mmio => HandleMmio(ref exit),
            VmExitReason.BalloonDoorbell => HandleBalloonDoorbell(ref exit),
            VmExitReason.GuestPageFault => HandleGuestPageFault(ref exit),
            VmExitReason.TouchFault => HandleTouchFault(ref exit),
            VmExitReason.SwapIn => HandleSwapIn(ref exit),
            VmExitReason.Timer => HandleTimer(ref exit),
            VmExitReason.SoftwareInterrupt => HandleSoftwareInterrupt(ref exit),
            VmExitReason.GuestException => HandleGuestException(ref exit),
            _ => throw new System.Diagnostics.UnreachableException($"no handler for exit reason {exit.Reason}"),
        };
        // Exits the hypervisor caused itself while serving this one (see _recorded) carry its pc and instruction.
        if (Vm.HasRecordedExits) Vm.TakeRecordedExits(_recorded, this, exit.Pc, exit.Instruction);
        if (cycles is ulong c)
        {
            exit = exit with { Cycles = c };
            Exits.Add(exit.Reason, c);
        }
        if (before is not null) trace.Add(this, exit, before, _clock / Vm.Host.Config.CyclesPerMillisecond);
        return cycles ?? 0;
    }

    // ---- one handler per reason ----

    /// <summary>A CSR instruction: the VM's instruction emulator carries it out against the virtual CSRs.</summary>
    private ulong? HandleCsrAccess(ref VmExit exit)
    {
        switch (Emulate(exit))
        {
            case null: return null;
            case false:
                // No such CSR for the guest's virtual M-mode, or a write to a read-only one: the hardware would raise illegal-instruction.
                exit = exit with { Reason = VmExitReason.GuestException, Cause = TrapCause.IllegalInstruction, Tval = exit.Instruction };
                return HandleGuestException(ref exit);
            default: return Vm.Host.Costs.VmExitCycles + Vm.Host.Costs.EmulateInstructionCycles;
        }
    }

    /// <summary>mret: the emulator restores the virtual interrupt state and sends the guest to mepc.</summary>
    private ulong? HandlePrivilegedInstruction(ref VmExit exit) =>
        Emulate(exit) is null ? null : Vm.Host.Costs.VmExitCycles + Vm.Host.Costs.EmulateInstructionCycles;

    /// <summary>wfi: if no enabled interrupt is pending, the vCPU gives up its hardware thread until one is.</summary>
    private ulong? HandleWfi(ref VmExit exit) =>
        Emulate(exit) is null ? null : Vm.Host.Costs.VmExitCycles + Vm.Host.Costs.EmulateInstructionCycles;

    /// <summary>
    /// Runs the VM's instruction emulator (<see cref="VmConfig.InstructionEmulator"/>) on the exit's
    /// CSR instruction, mret or wfi and, if it succeeded, moves the guest on to where the emulator
    /// says. Returns what the emulator returned (false: a CSR the guest may not access), or null if it
    /// failed (threw, or sent the guest to a misaligned pc): the VM is then stopped with a reason that
    /// names the emulator, and the host carries on.
    /// </summary>
    private bool? Emulate(in VmExit exit)
    {
        var emulator = Vm.Config.InstructionEmulator;
        _emulation.Begin(exit.Pc, exit.Instruction);
        bool done;
        try
        {
            switch (exit.Reason)
            {
                case VmExitReason.CsrAccess: done = emulator.EmulateCsr(_emulation, exit.Csr!.Value); break;
                case VmExitReason.PrivilegedInstruction: emulator.EmulateMret(_emulation); done = true; break;
                default: emulator.EmulateWfi(_emulation); done = true; break;
            }
        }
        catch (Exception e)
        {
            Vm.StopForHostFault($"instruction emulator {emulator.GetType().FullName} threw {e.GetType().Name} emulating '{exit.Disassembly}' at pc 0x{exit.Pc:x8}: {e.Message}");
            return null;
        }
        if (!done) return false;
        if ((_emulation.NextPc & 3) != 0)
        {
            Vm.StopForHostFault($"instruction emulator {emulator.GetType().FullName} sent the guest to pc 0x{_emulation.NextPc:x8}, not a multiple of 4, emulating '{exit.Disassembly}' at pc 0x{exit.Pc:x8}");
            return null;
        }
        Hart.Pc = _emulation.NextPc;
        _emulated++;
        return true;
    }

    /// <summary>A hypercall: served here, or by a device model in the hypervisor's process (console, notify).</summary>
    private ulong? HandleHypercall(ref VmExit exit)
    {
        Hypercall();
        return Served(Vm.Host.Costs.HypercallCycles, byHypervisorProcess: exit.Value is Hypercalls.PutChar or Hypercalls.Notify);
    }

    /// <summary>A device access: the device model completed it during the instruction; the exit pays for decoding it and running the model.</summary>
    private ulong? HandleMmio(ref VmExit exit)
    {
        var costs = Vm.Host.Costs;
        return Served(costs.VmExitCycles + costs.MmioEmulationCycles, byHypervisorProcess: !exit.DeviceInHostKernel);
    }

    /// <summary>The balloon doorbell: an MMIO exit whose handler carries out the inflate or deflate the driver asked for.</summary>
    private ulong? HandleBalloonDoorbell(ref VmExit exit)
    {
        Vm.ProcessBalloonDoorbell();
        return HandleMmio(ref exit);
    }

    /// <summary>A second-stage page fault: the memory gave the page a frame during the access (allocated, zeroed, mapped).</summary>
    private ulong? HandleGuestPageFault(ref VmExit exit) => Vm.Host.Costs.VmExitCycles + Vm.Host.Costs.GuestPageFaultCycles;

    /// <summary>A touch fault: the memory noted the touch and gave the hidden mapping back.</summary>
    private ulong? HandleTouchFault(ref VmExit exit) => Vm.Host.Costs.VmExitCycles + Vm.Host.Costs.TouchFaultCycles;

    /// <summary>A swap-in: the vCPU stalls while the page is read back; the hart's cycle counter sees the stall, and so does the vCPU's run time.</summary>
    private ulong? HandleSwapIn(ref VmExit exit)
    {
        ulong stall = Vm.Host.Costs.SwapInCycles;
        Hart.Stall(stall);
        Vm.AddSwapInStall(stall);
        return stall;
    }

    /// <summary>A virtual timer interrupt: how late it is (for the VM's latency figures), then the trap entry into the guest's handler.</summary>
    private ulong? HandleTimer(ref VmExit exit)
    {
        Vm.RecordTimerInterrupt(Index, Vm.Clint.DeadlineCycle(Index), Vm.Host.Now);
        EnterVirtualTrap(exit.Cause, 0);
        return Vm.Host.Costs.InterruptInjectionCycles;
    }

    /// <summary>A virtual software interrupt (an IPI another vCPU sent through msip): the trap entry into the guest's handler.</summary>
    private ulong? HandleSoftwareInterrupt(ref VmExit exit)
    {
        EnterVirtualTrap(exit.Cause, 0);
        return Vm.Host.Costs.InterruptInjectionCycles;
    }

    /// <summary>Delivers a fault of the guest's own making to the guest's trap handler; stops the VM if it is stuck faulting.</summary>
    private ulong? HandleGuestException(ref VmExit exit)
    {
        var costs = Vm.Host.Costs;
        if (++_consecutiveFaults > FaultLoopLimit)
        {
            Vm.Stop($"fault loop: {_consecutiveFaults - 1} exceptions in a row without progress, last {exit.Cause} (tval 0x{exit.Tval:x8}) at pc 0x{Hart.Pc:x8}", crashed: true);
            return null;
        }
        EnterVirtualTrap(exit.Cause, exit.Tval);
        return costs.VmExitCycles + costs.EmulateInstructionCycles;
    }

    /// <summary>
    /// The cost of an exit that costs <paramref name="cycles"/> on Type 1. On a Type 2 host an exit
    /// served by the hypervisor's user-space process (<paramref name="byHypervisorProcess"/>: a device
    /// model) also pays the trip from the host kernel up to that process and back; exits the host
    /// kernel handles itself cost what they cost on Type 1.
    /// </summary>
    private ulong Served(ulong cycles, bool byHypervisorProcess) =>
        byHypervisorProcess && Vm.Host.Config.Kind == HypervisorKind.Type2 ? cycles + Vm.Host.Costs.HostKernelRoundTripCycles : cycles;

    /// <summary>The trap entry of the privileged spec, performed on the virtual CSRs.</summary>
    private void EnterVirtualTrap(TrapCause cause, uint tval)
    {
        Csrs.MEpc = Hart.Pc & ~3u;
        Csrs.MCause = (uint)cause;
        Csrs.MTval = tval;
        uint mpie = (Csrs.MStatus & MStatusBits.MIE) != 0 ? MStatusBits.MPIE : 0;
        Csrs.MStatus = (Csrs.MStatus & ~(MStatusBits.MIE | MStatusBits.MPIE | MStatusBits.MPP)) | mpie | MStatusBits.MPP;
        uint tvecBase = Csrs.MTvec & ~3u;
        Hart.Pc = (Csrs.MTvec & 3) == 1 && cause.IsInterrupt() ? tvecBase + 4 * cause.Code() : tvecBase;
    }

    private void Hypercall()
    {
        uint fn = Hart[Hypercalls.FunctionRegister], a0 = Hart[10], a1 = Hart[11];
        uint status = 0;
        switch (fn)
        {
            case Hypercalls.PutChar: Vm.ConsoleWrite((char)(byte)a0); break;
            case Hypercalls.SetTimer: Vm.Clint.SetMTimeCmp(Index, a0 | ((ulong)a1 << 32)); break;
            case Hypercalls.GetTime: { ulong t = Vm.Clint.MTime; Hart[11] = (uint)t; Hart[12] = (uint)(t >> 32); break; }
            case Hypercalls.Yield: if ((VirtualMip & Csrs.Mie) == 0) State = RunState.Waiting; break;
            case Hypercalls.Notify:
            {
                var space = Vm.Memory.Space;
                if (space.TryRead(a0, 4, out uint addr) && space.TryRead(a0 + 4, 4, out uint len) && space.TryRead(a0 + 8, 4, out uint cmd))
                    Vm.Block.Submit(addr, len, cmd);
                else status = unchecked((uint)-2);
                break;
            }
            case Hypercalls.Panic: Vm.Stop($"guest panic: code {a0}, detail 0x{a1:x8}", crashed: true); break;
            case Hypercalls.Shutdown: Vm.Stop($"guest shut down with code {(int)a0}", crashed: false); break;
            default: status = unchecked((uint)-1); break;
        }
        Hart[10] = status;
        Hart.Pc += 4;
        _emulated++;
    }

    /// <summary>The instruction word at guest address <paramref name="pc"/>, read without side effects; 0 if it is not in present RAM.</summary>
    private uint InstructionAt(uint pc) => Hart.Memory.TryPeek(pc, 4, out uint word) ? word : 0;

    internal void Stop() => State = RunState.Stopped;

    /// <summary>Puts the vCPU back in its power-on state (for a VM reset): registers cleared, pc at the entry point, virtual CSRs cleared, runnable.</summary>
    internal void Reset(uint entry)
    {
        for (int r = 1; r < 32; r++) Hart[r] = 0;
        Hart[10] = (uint)Index;
        Hart.Pc = entry;
        Hart.Privilege = Privilege.User;
        Hart.MStatus = MStatusBits.TW;
        Hart.ClearExit();
        Hart.StopRequested = false;
        Csrs.Reset();
        _consecutiveFaults = 0;
        _stallDebt = 0;
        _recorded.Clear();
        State = RunState.Runnable;
    }
}
