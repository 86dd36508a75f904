using static VirtLab.Machine.InstructionEncoding;

namespace VirtLab.Machine;

public sealed unsafe partial class Hart
{
    /// <summary>
    /// The reference interpreter: executes the one instruction at <see cref="Pc"/> with every check
    /// the specification asks for, reading the raw word from memory and going through the address
    /// space's slow path for loads and stores (devices, page faults, watched words). The fast path
    /// sends here everything it does not handle, always as the first instruction of a block, so the
    /// counters are exact when a CSR reads them. Updates the counters itself.
    /// <para>
    /// Every device access and every page fault happens here. If the device or the page-fault
    /// handler asked for it (<see cref="AddressSpace.RequestStopAfterAccess"/>), the run stops after
    /// this instruction, and <see cref="StoppedAt"/> says which one it was.
    /// </para>
    /// </summary>
    /// <returns>1 if the instruction retired, 0 if it trapped.</returns>
    private long SlowStep()
    {
        uint pc = Pc;
        long stopRequests = Memory.StopRequests;
        long retired = FetchAndExecute(pc);
        if (Memory.StopRequests != stopRequests)
        {
            StopRequested = true;
            StoppedAt = pc;
        }
        return retired;
    }

    private long FetchAndExecute(uint pc)
    {
        if ((pc & 3) != 0) { Trap(TrapCause.InstructionAddressMisaligned, pc); return 0; }
        if (!Memory.TryFetch(pc, out uint w)) { Trap(TrapCause.InstructionAccessFault, pc); return 0; }

        _countersWritten = 0;
        if (!Execute(w, pc)) return 0;   // trapped: the instruction did not retire

        if ((_countersWritten & CounterInstret) == 0) Instret++;
        if ((_countersWritten & CounterCycle) == 0) Cycle++;
        Retired++;
        return 1;
    }

    /// <summary>Executes <paramref name="w"/>; returns false if it trapped instead of retiring.</summary>
    private bool Execute(uint w, uint pc)
    {
        uint* x = _x;
        int rd = Rd(w), rs1 = Rs1(w), rs2 = Rs2(w);
        uint f3 = Funct3(w), f7 = Funct7(w);
        uint a = x[rs1], b = x[rs2];
        uint next = pc + 4;
        uint result;

        switch (Opcode(w))
        {
            case Opcodes.Lui: result = (uint)UpperImmediate(w); break;
            case Opcodes.Auipc: result = pc + (uint)UpperImmediate(w); break;
            case Opcodes.Jal: return Jump(w, pc, pc + (uint)ImmJ(w), rd);
            case Opcodes.Jalr:
                if (f3 != 0) return Illegal(w);
                return Jump(w, pc, (a + (uint)ImmI(w)) & ~1u, rd);
            case Opcodes.Branch:
            {
                if (f3 is 2 or 3) return Illegal(w);
                bool taken = f3 switch
                {
                    0 => a == b, 1 => a != b, 4 => (int)a < (int)b, 5 => (int)a >= (int)b, 6 => a < b, _ => a >= b,
                };
                if (!taken) { Pc = next; return true; }
                uint target = pc + (uint)ImmB(w);
                if ((target & 3) != 0) { Trap(TrapCause.InstructionAddressMisaligned, target); return false; }
                Pc = target;
                return true;
            }
            case Opcodes.Load:
            {
                int size = f3 switch { 0 or 4 => 1, 1 or 5 => 2, 2 => 4, _ => 0 };
                if (size == 0) return Illegal(w);
                uint address = a + (uint)ImmI(w);
                if (!Memory.TryRead(address, size, out uint v)) { Trap(TrapCause.LoadAccessFault, address); return false; }
                result = f3 switch { 0 => (uint)(sbyte)v, 1 => (uint)(short)v, _ => v };
                break;
            }
            case Opcodes.Store:
            {
                int size = f3 switch { 0 => 1, 1 => 2, 2 => 4, _ => 0 };
                if (size == 0) return Illegal(w);
                uint address = a + (uint)ImmS(w);
                if (!Memory.TryWrite(address, size, b)) { Trap(TrapCause.StoreAccessFault, address); return false; }
                Pc = next;
                return true;
            }
            case Opcodes.OpImm:
            {
                int imm = ImmI(w);
                switch (f3)
                {
                    case 0: result = a + (uint)imm; break;
                    case 2: result = (int)a < imm ? 1u : 0; break;
                    case 3: result = a < (uint)imm ? 1u : 0; break;
                    case 4: result = a ^ (uint)imm; break;
                    case 6: result = a | (uint)imm; break;
                    case 7: result = a & (uint)imm; break;
                    // RV32 shifts: shamt[5] (bit 25) set, or any other funct7, is illegal.
                    case 1 when f7 == 0: result = a << rs2; break;
                    case 5 when f7 == 0: result = a >> rs2; break;
                    case 5 when f7 == 0x20: result = (uint)((int)a >> rs2); break;
                    default: return Illegal(w);
                }
                break;
            }
            case Opcodes.Op:
                if (!TryAlu(f7, f3, a, b, out result)) return Illegal(w);
                break;
            case Opcodes.MiscMem:
                if (f3 == 0) { Pc = next; return true; }              // fence
                if (f3 == 1) { Memory.ForgetDecodedCode(); Pc = next; return true; }   // fence.i: forget decoded code
                return Illegal(w);
            case Opcodes.System:
                return ExecuteSystem(w, pc, rd, rs1, f3);
            default:
                return Illegal(w);
        }
        if (rd != 0) x[rd] = result;
        Pc = next;
        return true;
    }

    private static bool TryAlu(uint f7, uint f3, uint a, uint b, out uint result)
    {
        result = (f7, f3) switch
        {
            (0, 0) => a + b,
            (0x20, 0) => a - b,
            (0, 1) => a << (int)(b & 31),
            (0, 2) => (int)a < (int)b ? 1u : 0,
            (0, 3) => a < b ? 1u : 0,
            (0, 4) => a ^ b,
            (0, 5) => a >> (int)(b & 31),
            (0x20, 5) => (uint)((int)a >> (int)(b & 31)),
            (0, 6) => a | b,
            (0, 7) => a & b,
            (1, _) => MulDiv.Compute(f3, a, b),
            _ => 0,
        };
        return f7 is 0 or 1 || (f7 == 0x20 && f3 is 0 or 5);
    }

    private bool Jump(uint w, uint pc, uint target, int rd)
    {
        // Without the C extension, a target that is not 4-byte aligned traps on the jump itself,
        // and rd is left unwritten.
        if ((target & 3) != 0) { Trap(TrapCause.InstructionAddressMisaligned, target); return false; }
        if (rd != 0) _x[rd] = pc + 4;
        Pc = target;
        return true;
    }

    private bool Illegal(uint w)
    {
        // mtval holds the faulting instruction's bits, as Spike and QEMU report them.
        Trap(TrapCause.IllegalInstruction, w);
        return false;
    }

    /// <summary>ecall, ebreak, mret, wfi and the six Zicsr instructions.</summary>
    private bool ExecuteSystem(uint w, uint pc, int rd, int rs1, uint f3)
    {
        if (f3 == 0)
        {
            if (rd != 0 || rs1 != 0) return Illegal(w);
            switch (w)
            {
                case InstructionSet.EcallWord:
                    Trap(Privilege == Privilege.Machine ? TrapCause.EnvironmentCallFromMMode : TrapCause.EnvironmentCallFromUMode, 0);
                    return false;
                case InstructionSet.EbreakWord:
                    Trap(TrapCause.Breakpoint, pc);
                    return false;
                case InstructionSet.MretWord:
                    if (Privilege != Privilege.Machine) return Illegal(w);
                    ReturnFromTrap();
                    return true;
                case InstructionSet.WfiWord:
                    // In U-mode with mstatus.TW set, wfi traps: this is how a hypervisor sees a guest go idle.
                    if (Privilege != Privilege.Machine && (_mstatus & MStatusBits.TW) != 0) return Illegal(w);
                    Pc = pc + 4;
                    if ((Mip & _mie) == 0) IsWaitingForInterrupt = true;
                    return true;
                default:
                    return Illegal(w);
            }
        }
        if (!CsrInstruction.TryDecode(w, out var csr)) return Illegal(w);

        uint operand = csr.IsImmediate ? (uint)csr.Rs1 : _x[csr.Rs1];
        // csrrw with rd = x0 does not read; csrrs/csrrc with rs1 = x0 (or uimm = 0) do not write.
        uint old = 0;
        if (csr.ReadsCsr && !TryReadCsr(csr.Csr, out old)) return Illegal(w);
        if (csr.WritesCsr && !TryWriteCsr(csr.Csr, csr.NewValue(old, operand))) return Illegal(w);
        if (rd != 0) _x[rd] = old;
        Pc = pc + 4;
        return true;
    }
}

/// <summary>The M extension's multiply and divide, with the spec's results for division by zero and overflow.</summary>
internal static class MulDiv
{
    public static uint Compute(uint f3, uint a, uint b) => f3 switch
    {
        0 => a * b,
        1 => (uint)(((long)(int)a * (int)b) >> 32),
        2 => (uint)(((long)(int)a * (long)(ulong)b) >> 32),
        3 => (uint)(((ulong)a * b) >> 32),
        4 => Div(a, b),
        5 => Divu(a, b),
        6 => Rem(a, b),
        _ => Remu(a, b),
    };

    /// <summary>Unsigned division: x/0 = all ones.</summary>
    public static uint Divu(uint a, uint b) => b == 0 ? uint.MaxValue : a / b;

    /// <summary>Unsigned remainder: x%0 = x.</summary>
    public static uint Remu(uint a, uint b) => b == 0 ? a : a % b;

    /// <summary>Signed division: x/0 = -1, and the overflow case MIN/-1 = MIN (no trap in RISC-V).</summary>
    public static uint Div(uint a, uint b) =>
        b == 0 ? uint.MaxValue : (a == 0x8000_0000 && b == uint.MaxValue) ? a : (uint)((int)a / (int)b);

    /// <summary>Signed remainder: x%0 = x, and MIN%-1 = 0.</summary>
    public static uint Rem(uint a, uint b) =>
        b == 0 ? a : (a == 0x8000_0000 && b == uint.MaxValue) ? 0 : (uint)((int)a % (int)b);
}
