namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// Exercise 1's question: a small guest program that exercises the instructions a hypervisor must
/// emulate (CSR instructions, <c>mret</c>, <c>wfi</c>). The grader assembles it, boots it in a VM
/// whose <see cref="VirtLab.Hypervisor.VmConfig.InstructionEmulator"/> is your <c>CsrEmulator</c>,
/// and runs it until it shuts down or <see cref="Milliseconds"/> have passed.
/// </summary>
public sealed record EmulationProblem
{
    /// <summary>Which guest program this is (for example <c>csr-instructions</c>); see <see cref="CsrGuests.Names"/>.</summary>
    public required string Guest { get; init; }

    /// <summary>The guest program's RISC-V assembly, with this variant's numbers in it.</summary>
    public required string Program { get; init; }

    /// <summary>How many vCPUs the VM has.</summary>
    public required int Vcpus { get; init; }

    /// <summary>Simulated milliseconds the run may last at most (the guests shut down well before).</summary>
    public required double Milliseconds { get; init; }

    /// <summary>The problem in a line.</summary>
    public override string ToString() =>
        $"guest '{Guest}' ({CsrGuests.Describe(Guest)}), {Vcpus} vCPU{(Vcpus == 1 ? "" : "s")}";
}
