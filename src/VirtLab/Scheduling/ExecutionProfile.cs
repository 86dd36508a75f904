namespace VirtLab.Scheduling;

/// <summary>Which functional unit of a core an instruction needs.</summary>
public enum InstructionClass : byte
{
    /// <summary>Add, logic, shift, compare, lui/auipc: one cycle on an integer ALU port.</summary>
    Alu,
    /// <summary>Branch or jump: resolved on an ALU port.</summary>
    Branch,
    /// <summary>mul/mulh*: the (pipelined) multiplier.</summary>
    Multiply,
    /// <summary>div/rem: the divider, busy until the result is out.</summary>
    Divide,
    /// <summary>A load: the load/store port, result after the cache's latency.</summary>
    Load,
    /// <summary>A store: the load/store port; it retires into a store buffer and produces no register.</summary>
    Store,
}

/// <summary>
/// One instruction of a thread's sampled instruction stream: what unit it needs, which register it
/// writes and which it reads (register 0 = none: x0 is always ready). <see cref="EndsFetchBlock"/>
/// marks a taken branch or jump, after which the front end must fetch from a new address.
/// </summary>
public readonly record struct SampledInstruction(InstructionClass Class, byte Rd, byte Rs1, byte Rs2, bool EndsFetchBlock = false);

/// <summary>
/// What an entity does to a core, as measured by sampling it: a sample of the instructions it
/// executes (in execution order, in short windows taken at points spread over its run time), the
/// fraction of them that access memory, and the bytes its accesses spread over. The SMT core model
/// replays the instruction sample through its pipeline to find the entity's instructions per cycle,
/// alone or next to a sibling. The values are never set from a workload's name.
/// </summary>
public sealed class ExecutionProfile
{
    private double _memoryFraction = 0.05, _footprint = 16 * 1024;
    private IReadOnlyList<SampledInstruction> _stream = [];

    /// <summary>Fraction of instructions that load or store (sampled).</summary>
    public double MemoryFraction { get => _memoryFraction; set { _memoryFraction = value; Version++; } }

    /// <summary>Bytes touched recently (distinct sampled pages × 4 KiB).</summary>
    public double FootprintBytes { get => _footprint; set { _footprint = value; Version++; } }

    /// <summary>
    /// The sampled instruction stream, empty until the entity has been measured. Without one (a host
    /// process, which VirtLab does not emulate, or a vCPU that has just booted) the core model
    /// synthesises a stream from <see cref="MemoryFraction"/>.
    /// </summary>
    public IReadOnlyList<SampledInstruction> Stream { get => _stream; set { _stream = value; Version++; } }

    /// <summary>Sets all three measurements at once, as one new version.</summary>
    public void Update(double memoryFraction, double footprintBytes, IReadOnlyList<SampledInstruction> stream)
    {
        _memoryFraction = memoryFraction;
        _footprint = footprintBytes;
        _stream = stream;
        Version++;
    }

    /// <summary>Changes whenever the profile does, so the core model can cache what it computed from it.</summary>
    public long Version { get; private set; }
}
