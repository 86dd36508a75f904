namespace VirtLab.Hypervisor;

/// <summary>
/// What an <see cref="IInstructionEmulator"/> sees of the vCPU whose instruction it emulates: the
/// guest's registers, its virtual CSRs, the instruction's address and where the guest goes on.
/// One per vCPU, reused for every emulation; valid only during the call.
/// </summary>
public sealed class EmulationContext
{
    private readonly Vcpu _vcpu;

    internal EmulationContext(Vcpu vcpu) => _vcpu = vcpu;

    /// <summary>The vCPU's number inside its VM (what the guest reads from mhartid).</summary>
    public int VcpuIndex => _vcpu.Index;

    /// <summary>The guest address of the instruction being emulated.</summary>
    public uint Pc { get; private set; }

    /// <summary>The instruction word being emulated.</summary>
    public uint Instruction { get; private set; }

    /// <summary>
    /// Where the guest resumes after the emulation: the next instruction (<see cref="Pc"/> + 4)
    /// unless the emulator sets it (<c>mret</c> resumes at mepc). It must be a multiple of 4.
    /// </summary>
    public uint NextPc { get; set; }

    /// <summary>The machine-mode CSRs the guest believes it has. Their setters apply the legal-value (WARL) rules.</summary>
    public VirtualCsrs Csrs => _vcpu.Csrs;

    /// <summary>Guest register x<paramref name="register"/> (0..31; x0 reads 0 and ignores writes).</summary>
    public uint this[int register]
    {
        get => _vcpu.Hart[register];
        set => _vcpu.Hart[register] = value;
    }

    /// <summary>Reads a CSR as the guest's virtual M-mode sees it, counters and mip included; false if the guest has no such CSR.</summary>
    public bool TryReadCsr(uint csr, out uint value) => _vcpu.Csrs.TryRead(csr, _vcpu, out value);

    /// <summary>Writes a CSR with its legal-value rules; false if the guest has no such CSR or it is read-only.</summary>
    public bool TryWriteCsr(uint csr, uint value) => _vcpu.Csrs.TryWrite(csr, value);

    /// <summary>The guest's pending interrupts (its virtual mip): timer and software interrupts from the virtual CLINT.</summary>
    public uint PendingInterrupts => _vcpu.VirtualMip;

    /// <summary>True when an interrupt is both pending and enabled in mie: what ends a wfi.</summary>
    public bool InterruptPendingAndEnabled => (PendingInterrupts & Csrs.Mie) != 0;

    /// <summary>The vCPU gives up its hardware thread until an enabled interrupt is pending (the scheduler wakes it then).</summary>
    public void WaitForInterrupt() => _vcpu.State = Scheduling.RunState.Waiting;

    /// <summary>Gets the context ready for emulating <paramref name="instruction"/> at <paramref name="pc"/>.</summary>
    internal void Begin(uint pc, uint instruction)
    {
        Pc = pc;
        Instruction = instruction;
        NextPc = pc + 4;
    }
}
