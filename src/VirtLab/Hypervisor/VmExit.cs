using System.Globalization;
using System.Text;
using VirtLab.Assembly;
using VirtLab.Machine;

namespace VirtLab.Hypervisor;

/// <summary>
/// One VM exit: why the guest left, which vCPU, at which instruction, with which operands, and
/// how many cycles the hypervisor charged for it. Every exit becomes one of these, whatever brought
/// it to the hypervisor: a trap of the deprivileged hart (CSR access, mret, wfi, ecall, a fault), an
/// access inside the guest's run (MMIO, a second-stage page fault, a swap-in, the balloon doorbell),
/// or an interrupt the hypervisor injects. Each goes through <see cref="Vcpu"/>'s exit switch, which
/// calls the handler of its <see cref="Reason"/>. Turn on a VM's <see cref="VirtualMachine.Trace"/>
/// to keep them, with the guest's state before and after each one.
/// <para>
/// Which operands are filled in depends on the reason: <see cref="Address"/>, <see cref="Access"/>,
/// <see cref="Size"/>, <see cref="Value"/> and <see cref="Device"/> describe a memory access (MMIO,
/// doorbell, page faults); <see cref="Value"/> is also a CSR instruction's source operand and a
/// hypercall's function number; <see cref="Cause"/> and <see cref="Tval"/> describe what is
/// delivered into the guest (a reflected exception, an injected interrupt).
/// </para>
/// </summary>
public readonly record struct VmExit
{
    /// <summary>Why the guest left.</summary>
    public VmExitReason Reason { get; init; }

    /// <summary>The vCPU that exited.</summary>
    public Vcpu? Vcpu { get; init; }

    /// <summary>
    /// Guest address of the instruction that caused the exit. For an injected interrupt, where the
    /// guest was interrupted (the instruction it resumes at after its handler's mret).
    /// </summary>
    public uint Pc { get; init; }

    /// <summary>
    /// The instruction word at <see cref="Pc"/>, or 0 when no instruction caused the exit (an injected
    /// interrupt) or it could not be read (a fetch from outside RAM). An access inside the guest's run
    /// (MMIO, page faults) completed during that instruction, before the exit is handled.
    /// </summary>
    public uint Instruction { get; init; }

    /// <summary>
    /// MMIO and doorbell: the device register's address. Page faults (<see cref="VmExitReason.GuestPageFault"/>,
    /// <see cref="VmExitReason.TouchFault"/>, <see cref="VmExitReason.SwapIn"/>): the guest-physical address of the page.
    /// </summary>
    public uint Address { get; init; }

    /// <summary>MMIO and page faults: a load, a store or an instruction fetch.</summary>
    public MemoryAccess Access { get; init; }

    /// <summary>MMIO: bytes accessed (1, 2 or 4).</summary>
    public int Size { get; init; }

    /// <summary>
    /// MMIO and doorbell: the value the device returned or was given. CSR access: the source operand
    /// (rs1's value, or the 5-bit immediate). Hypercall: the function number from a6 (see <see cref="Hypercalls"/>).
    /// </summary>
    public uint Value { get; init; }

    /// <summary>MMIO and doorbell: the name of the device model that served the access (<c>vclint</c>, <c>vuart</c>, ...).</summary>
    public string? Device { get; init; }

    /// <summary>
    /// Guest exception: the trap cause reflected into the guest's handler (a guest's own ecall is
    /// an ecall from M-mode: the guest believes it runs in M). Timer and software interrupt: the interrupt injected.
    /// </summary>
    public TrapCause Cause { get; init; }

    /// <summary>Guest exception: the mtval given to the guest's handler (the faulting address, or the illegal instruction's bits).</summary>
    public uint Tval { get; init; }

    /// <summary>Cycles charged to the vCPU for this exit: the world switch, the handler's work, and any stall (a swap-in's read).</summary>
    public ulong Cycles { get; init; }

    /// <summary>MMIO: the device model runs in the host kernel (the virtual CLINT), so on a Type 2 host the exit does not go up to the hypervisor's process.</summary>
    internal bool DeviceInHostKernel { get; init; }

    /// <summary>The decoded instruction's row in the instruction table, or null when there is none.</summary>
    public InstructionDefinition? Definition => Instruction != 0 && InstructionSet.TryDecode(Instruction, out var d) ? d : null;

    /// <summary>The instruction as assembly text (<c>csrw mstatus, a0</c>), or an empty string when no instruction caused the exit.</summary>
    public string Disassembly => Instruction == 0 ? "" : Disassembler.Disassemble(Instruction, Pc);

    /// <summary>The CSR instruction decoded, for a CSR access.</summary>
    public CsrInstruction? Csr => CsrInstruction.TryDecode(Instruction, out var csr) ? csr : null;

    /// <summary>One line: reason, vCPU, pc, instruction, operands and cycles.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Reason} {Vcpu?.Name} pc 0x{Pc:x8}");
        if (Instruction != 0) text.Append(CultureInfo.InvariantCulture, $" '{Disassembly}'");
        text.Append(Operands());
        text.Append(CultureInfo.InvariantCulture, $", {Cycles:N0} cycles");
        return text.ToString();
    }

    private string Operands() => Reason switch
    {
        VmExitReason.Mmio or VmExitReason.BalloonDoorbell =>
            string.Create(CultureInfo.InvariantCulture, $": {Device} {(Access == MemoryAccess.Write ? "write" : "read")} of {Size} bytes at 0x{Address:x8}, value 0x{Value:x8}"),
        VmExitReason.GuestPageFault or VmExitReason.TouchFault or VmExitReason.SwapIn =>
            string.Create(CultureInfo.InvariantCulture, $": {Access.ToString().ToLowerInvariant()} of guest page 0x{Address:x8}"),
        VmExitReason.CsrAccess when Csr is { } csr =>
            string.Create(CultureInfo.InvariantCulture, $": {CsrNames.NameOrNumber((int)csr.Csr)}, source 0x{Value:x8}"),
        VmExitReason.Hypercall => string.Create(CultureInfo.InvariantCulture, $": function {Value}"),
        VmExitReason.GuestException => string.Create(CultureInfo.InvariantCulture, $": {Cause} (tval 0x{Tval:x8}) reflected"),
        VmExitReason.Timer or VmExitReason.SoftwareInterrupt => $": {Cause} injected",
        _ => "",
    };
}
