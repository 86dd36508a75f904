using VirtLab.Machine;
using VirtLab.Scheduling;

namespace VirtLab.Hypervisor;

/// <summary>
/// A virtual CPU: an emulated hart that runs the guest deprivileged (U-mode, with
/// <see cref="Hart.TrapSink"/> set to this vCPU), plus the machine-mode CSRs the guest believes it
/// has (<see cref="VirtualCsrs"/>).
/// <para>
/// Trap-and-emulate: every CSR access, <c>mret</c> and <c>wfi</c> (the real mstatus.TW is set) and
/// every <c>ecall</c> traps out of the guest. <see cref="HandleExit"/> emulates the instruction
/// against the virtual CSRs, charges the exit's cycles and resumes the guest after it. Faults of the
/// guest's own making are reflected into the guest's trap handler by performing the trap entry on
/// the virtual state. Virtual interrupts are injected the same way, at the virtual mtvec.
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

    private TrapCause _exitCause;
    private uint _exitTval;
    private double _pendingCharge;
    private double _stallDebt;
    private double _cyclesSinceSample;
    private int _consecutiveFaults;
    private long _emulated;
    private readonly InstructionSampler _sampler;

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
    }

    public VirtualMachine Vm { get; }
    /// <summary>This vCPU's number inside its VM (what the guest reads from mhartid).</summary>
    public int Index { get; }
    /// <summary>The emulated hart the guest runs on, in U-mode.</summary>
    public Hart Hart { get; }
    /// <summary>The machine-mode state the guest believes it has.</summary>
    public VirtualCsrs Csrs { get; } = new();
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
        Vm.Current = this;
        while (State == RunState.Runnable && used < budget)
        {
            ulong t = now + (ulong)used;
            host.Now = t;
            if (TryInjectInterrupt(t, ref used)) continue;
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
            long n = Hart.Run(max);
            double ran = n / ipc;
            used += ran;
            if (n > 0) _consecutiveFaults = 0;
            _cyclesSinceSample += ran;
            if (n >= max && !Hart.PendingExit && _cyclesSinceSample >= SampleInterval)
            {
                _sampler.Sample();
                _cyclesSinceSample = 0;
            }
            used += _pendingCharge;
            _pendingCharge = 0;
            Hart.StopRequested = false;
            if (Vm.Balloon.Pending is not null) Vm.ProcessBalloonDoorbell();   // the doorbell store's exit: handle it before the next guest instruction
            if (Hart.PendingExit)
            {
                Hart.ClearExit();
                used += HandleExit(t);
            }
        }
        Vm.Current = null;
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

    /// <summary>
    /// If an enabled virtual interrupt is pending and the guest has interrupts on, performs the trap
    /// entry on the virtual state and points the hart at the guest's handler.
    /// </summary>
    private bool TryInjectInterrupt(ulong now, ref double used)
    {
        uint ready = VirtualMip & Csrs.Mie;
        if (ready == 0 || (Csrs.MStatus & MStatusBits.MIE) == 0) return false;
        TrapCause cause = (ready & InterruptBits.MachineSoftware) != 0 ? TrapCause.MachineSoftwareInterrupt : TrapCause.MachineTimerInterrupt;
        if (cause == TrapCause.MachineTimerInterrupt)
        {
            ulong deadline = Vm.Clint.DeadlineCycle(Index);
            Vm.RecordTimerLatency(now > deadline ? now - deadline : 0);
        }
        EnterVirtualTrap(cause, 0);
        used += Charge(cause == TrapCause.MachineTimerInterrupt ? VmExitReason.Timer : VmExitReason.SoftwareInterrupt, Vm.Host.Costs.InterruptInjectionCycles);
        return true;
    }

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

    /// <summary>
    /// Adds an exit to the counters and returns its cost. On a Type 2 host an exit that the
    /// hypervisor's user-space process handles (<paramref name="toHypervisorProcess"/>: a device model)
    /// also pays the trip from the host kernel up to that process and back; exits the host kernel
    /// handles itself cost what they cost on Type 1.
    /// </summary>
    private double Charge(VmExitReason reason, ulong cycles, bool toHypervisorProcess = false)
    {
        if (toHypervisorProcess && Vm.Host.Config.Kind == HypervisorKind.Type2) cycles += Vm.Host.Costs.HostKernelRoundTripCycles;
        Exits.Add(reason, cycles);
        return cycles;
    }

    /// <summary>
    /// Charges an exit that happened inside the hart's run (MMIO, guest page fault, swap-in) and ends
    /// the run after the faulting instruction. An exit stops the guest: its cost (a swap-in's
    /// milliseconds above all) must be paid before the guest's next instruction, not after however
    /// many the run had left, or a swapping guest would fault in further pages while it is meant
    /// to be waiting for the first.
    /// </summary>
    internal void ChargeDuringRun(VmExitReason reason, ulong cycles, bool toHypervisorProcess = false)
    {
        _pendingCharge += Charge(reason, cycles, toHypervisorProcess);
        Hart.StopRequested = true;
    }

    void ITrapSink.OnTrap(Hart hart, TrapCause cause, uint tval)
    {
        _exitCause = cause;
        _exitTval = tval;
    }

    // ------------------------------------------------------------------ exits

    /// <summary>Emulates the instruction that trapped (or reflects the fault); returns the cycles the exit cost.</summary>
    private double HandleExit(ulong now)
    {
        var costs = Vm.Host.Costs;
        uint w = _exitTval;
        switch (_exitCause)
        {
            case TrapCause.IllegalInstruction when (w & 0x7F) == 0x73:
            {
                uint f3 = (w >> 12) & 7;
                if (f3 == 0)
                {
                    if (w == 0x3020_0073) { EmulateMret(); return Charge(VmExitReason.PrivilegedInstruction, costs.VmExitCycles + costs.EmulateInstructionCycles); }
                    if (w == 0x1050_0073) { EmulateWfi(); return Charge(VmExitReason.Wfi, costs.VmExitCycles + costs.EmulateInstructionCycles); }
                    return Reflect(TrapCause.IllegalInstruction, w);
                }
                if (Vm.Host.Config.PopfLikeFlaw && (w >> 20) == Csr.MStatus && (f3 & 3) is 2 or 3)
                {
                    // The flawed variant: this instruction never trapped. Its write is lost, it reads the real mstatus, no exit is counted.
                    int rd = (int)((w >> 7) & 31);
                    if (rd != 0) Hart[rd] = Hart.MStatus;
                    Hart.Pc += 4;
                    _emulated++;
                    return 0;
                }
                if (f3 == 4 || !EmulateCsr(w)) return Reflect(TrapCause.IllegalInstruction, w);
                return Charge(VmExitReason.CsrAccess, costs.VmExitCycles + costs.EmulateInstructionCycles);
            }
            case TrapCause.EnvironmentCallFromUMode when Hart[17] == Hypercalls.Magic:
            {
                // Device hypercalls (console, the paravirtual device's notify) are served by the device models in the hypervisor's process.
                bool device = Hart[16] is Hypercalls.PutChar or Hypercalls.Notify;
                Hypercall();
                return Charge(VmExitReason.Hypercall, costs.HypercallCycles, toHypervisorProcess: device);
            }
            case TrapCause.EnvironmentCallFromUMode:
                // The guest believes it is in M-mode: its own ecall is an ecall from M.
                return Reflect(TrapCause.EnvironmentCallFromMMode, 0);
            default:
                return Reflect(_exitCause, w);
        }
    }

    /// <summary>Delivers a fault of the guest's own making to the guest's trap handler; stops the VM if it is stuck faulting.</summary>
    private double Reflect(TrapCause cause, uint tval)
    {
        var costs = Vm.Host.Costs;
        if (++_consecutiveFaults > FaultLoopLimit)
        {
            Vm.Stop($"fault loop: {_consecutiveFaults - 1} exceptions in a row without progress, last {cause} (tval 0x{tval:x8}) at pc 0x{Hart.Pc:x8}", crashed: true);
            return 0;
        }
        EnterVirtualTrap(cause, tval);
        return Charge(VmExitReason.GuestException, costs.VmExitCycles + costs.EmulateInstructionCycles);
    }

    /// <summary>mret on the virtual state: MIE := MPIE, MPIE := 1, MPP := U, pc := mepc.</summary>
    private void EmulateMret()
    {
        uint mie = (Csrs.MStatus & MStatusBits.MPIE) != 0 ? MStatusBits.MIE : 0;
        Csrs.MStatus = (Csrs.MStatus & ~(MStatusBits.MIE | MStatusBits.MPP)) | mie | MStatusBits.MPIE;
        // The guest only has (virtual) M-mode: a return to virtual U-mode continues in the same, deprivileged, mode.
        Hart.Pc = Csrs.MEpc;
        _emulated++;
    }

    /// <summary>wfi: if no enabled interrupt is pending, the vCPU gives up its hardware thread until one is.</summary>
    private void EmulateWfi()
    {
        Hart.Pc += 4;
        _emulated++;
        if ((VirtualMip & Csrs.Mie) == 0) State = RunState.Waiting;
    }

    /// <summary>The six Zicsr instructions against the virtual CSRs, with the spec's read/write rules.</summary>
    private bool EmulateCsr(uint w)
    {
        int rd = (int)((w >> 7) & 31), rs1 = (int)((w >> 15) & 31);
        uint f3 = (w >> 12) & 7, csr = w >> 20, op = f3 & 3;
        uint operand = f3 >= 5 ? (uint)rs1 : Hart[rs1];
        bool writes = op == 1 || rs1 != 0;
        if (!Csrs.TryRead(csr, this, out uint old)) return false;
        if (writes)
        {
            uint value = op switch { 1 => operand, 2 => old | operand, _ => old & ~operand };
            if (!Csrs.TryWrite(csr, value)) return false;
        }
        if (rd != 0) Hart[rd] = old;
        Hart.Pc += 4;
        _emulated++;
        return true;
    }

    private void Hypercall()
    {
        uint fn = Hart[16], a0 = Hart[10], a1 = Hart[11];
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
        _pendingCharge = 0;
        State = RunState.Runnable;
    }
}
