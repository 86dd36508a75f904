namespace VirtLab.Scheduling;

/// <summary>
/// One core's pipeline and cache, as its one or two hardware threads share them. The core is
/// modelled on an in-order, two-issue SMT core (Intel's Bonnell, the first Atom: up to two
/// instructions per cycle, two integer ALUs, no reordering, two hardware threads): every cycle it
/// issues up to <see cref="IssueWidth"/> instructions, in program order within each thread, each
/// needing a free functional unit of its kind and operands that are ready.
/// <para>
/// What a thread gets is found by replaying its sampled instruction stream
/// (<see cref="ExecutionProfile.Stream"/>) through that pipeline, alone or interleaved with the
/// sibling's stream. Nothing is assumed about the gain: a thread alone stalls on its own
/// read-after-write chains (a multiply's latency, a load's latency, a cache miss) and leaves issue
/// slots empty; a sibling fills those slots with its own instructions, so two latency-bound threads
/// gain a lot; two threads that each keep the ALU ports busy compete for them and gain little; two
/// threads whose footprints together overflow the shared cache miss where each alone would hit, and
/// can lose. The miss rate of a combined footprint W larger than the cache C is 1 - C/W (uniform
/// reuse over the footprint), applied to every load of the replay in turn.
/// </para>
/// </summary>
public sealed record SmtCoreModel
{
    /// <summary>Instructions the core issues per cycle, from one thread or both: 2 (Bonnell "can execute up to two instructions per cycle").</summary>
    public int IssueWidth { get; init; } = 2;
    /// <summary>Integer ALU ports; branches use them too: 2 (Bonnell has two integer ALUs).</summary>
    public int AluPorts { get; init; } = 2;
    /// <summary>Multiplies that can start per cycle (the multiplier is pipelined): 1.</summary>
    public int MultiplierPorts { get; init; } = 1;
    /// <summary>Loads and stores per cycle: 1 (an in-order core of this class has a single memory port).</summary>
    public int MemoryPorts { get; init; } = 1;
    /// <summary>Cycles until a 32-bit multiply's result can be used: about 5 on Atom (Agner Fog's instruction tables, IMUL r32).</summary>
    public int MultiplyLatencyCycles { get; init; } = 5;
    /// <summary>Cycles of a divide; the divider is not pipelined, so it is busy that long (tens of cycles on cores of this class).</summary>
    public int DivideLatencyCycles { get; init; } = 30;
    /// <summary>Load-to-use cycles of a load that hits the core's cache (3 on Atom's L1).</summary>
    public int HitLatencyCycles { get; init; } = 3;
    /// <summary>Cycles until the data of a load that misses the core's cache arrives from memory.</summary>
    public int MissLatencyCycles { get; init; } = 100;
    /// <summary>The per-core cache shared by the sibling threads (256 KiB, a typical per-core L2).</summary>
    public double CacheBytes { get; init; } = 256 * 1024;
    /// <summary>
    /// False: no pipeline at all, the core retires one instruction per cycle whatever the thread does
    /// (shared between siblings): the timing of VirtLab's bare emulated hart, for experiments that compare with it.
    /// </summary>
    public bool Pipelined { get; init; } = true;
    /// <summary>
    /// Cycles each replay runs (a simulation length, not a property of the hardware): long enough
    /// that every sampled stream wraps around many times. The first eighth warms the pipeline up and is not counted.
    /// </summary>
    public int ReplayCycles { get; init; } = 8_192;

    /// <summary>
    /// A core without a pipeline or cache model: one instruction per cycle, every memory access the
    /// same cost (the bare hart's timing). The memory-overcommit experiments use it, because they
    /// are about paging: with the cache model a guest's speed would also depend on its working set
    /// against a 256 KiB cache, and on when the sampler has seen that working set, which would blur
    /// what ballooning and swapping cost.
    /// </summary>
    public static readonly SmtCoreModel OneInstructionPerCycle = new() { Pipelined = false };

    /// <summary>Returns the name and problem of the first invalid field (prefixed "core."), or null.</summary>
    public (string Field, string Problem)? Validate()
    {
        if (IssueWidth < 1) return ("core.issue-width", $"{IssueWidth} must be at least 1");
        if (AluPorts < 1) return ("core.alu-ports", $"{AluPorts} must be at least 1");
        if (MultiplierPorts < 1) return ("core.multiplier-ports", $"{MultiplierPorts} must be at least 1");
        if (MemoryPorts < 1) return ("core.memory-ports", $"{MemoryPorts} must be at least 1");
        if (MultiplyLatencyCycles < 1 || DivideLatencyCycles < 1 || HitLatencyCycles < 1 || MissLatencyCycles < 1)
            return ("core.latency", "every latency must be at least 1 cycle");
        if (!(CacheBytes > 0)) return ("core.cache-bytes", $"{CacheBytes} must be positive");
        if (ReplayCycles < 64) return ("core.replay-cycles", $"{ReplayCycles} is below 64");
        return null;
    }

    /// <summary>The miss rate of a cache holding <paramref name="footprint"/> bytes of data in use.</summary>
    public double MissRate(double footprint) => footprint <= CacheBytes ? 0 : 1 - CacheBytes / footprint;

    /// <summary>
    /// Instructions per cycle of a thread with profile <paramref name="self"/> whose sibling runs
    /// <paramref name="sibling"/> (null: the sibling is idle or SMT is off).
    /// </summary>
    public double Ipc(ExecutionProfile self, ExecutionProfile? sibling) => Replay(self, sibling).Self;

    /// <summary>Replays both threads' streams through the pipeline; returns each one's instructions per cycle.</summary>
    public (double Self, double Sibling) Replay(ExecutionProfile self, ExecutionProfile? sibling)
    {
        if (!Pipelined) return sibling is null ? (1, 0) : (0.5, 0.5);
        double miss = MissRate(self.FootprintBytes + (sibling?.FootprintBytes ?? 0));
        var threads = sibling is null ? new[] { new ReplayThread(self, miss) } : new[] { new ReplayThread(self, miss), new ReplayThread(sibling, miss) };
        long warmup = ReplayCycles / 8;
        long dividerFreeAt = 0;
        for (long cycle = 0; cycle < ReplayCycles; cycle++)
        {
            int slots = IssueWidth, alu = AluPorts, mul = MultiplierPorts, mem = MemoryPorts;
            // Round robin: the threads take turns at having the first pick of this cycle's slots.
            for (int k = 0; k < threads.Length && slots > 0; k++)
            {
                var t = threads.Length == 1 ? threads[0] : threads[(int)((cycle + k) & 1)];
                while (slots > 0)
                {
                    var ins = t.Next;
                    if (t.Ready[ins.Rs1] > cycle || t.Ready[ins.Rs2] > cycle) break;   // in order: wait for the operands
                    long latency;
                    bool unitFree = true;
                    switch (ins.Class)
                    {
                        case InstructionClass.Multiply: unitFree = mul > 0; mul--; latency = MultiplyLatencyCycles; break;
                        case InstructionClass.Divide: unitFree = dividerFreeAt <= cycle; latency = DivideLatencyCycles; break;
                        case InstructionClass.Load: unitFree = mem > 0; mem--; latency = HitLatencyCycles; break;
                        case InstructionClass.Store: unitFree = mem > 0; mem--; latency = 0; break;
                        default: unitFree = alu > 0; alu--; latency = 1; break;
                    }
                    if (!unitFree) break;
                    if (ins.Class == InstructionClass.Divide) dividerFreeAt = cycle + DivideLatencyCycles;
                    if (ins.Class == InstructionClass.Load && t.TakeMiss()) latency = MissLatencyCycles;
                    if (ins.Rd != 0) t.Ready[ins.Rd] = cycle + latency;
                    t.Advance(counted: cycle >= warmup);
                    slots--;
                    if (ins.EndsFetchBlock) break;   // the front end fetches the branch target next cycle
                }
            }
        }
        double measured = ReplayCycles - warmup;
        return (threads[0].Retired / measured, threads.Length > 1 ? threads[1].Retired / measured : 0);
    }

    /// <summary>One thread during a replay: where it is in its stream and when each register's value is ready.</summary>
    private sealed class ReplayThread
    {
        private readonly SampledInstruction[] _stream;
        private readonly double _missRate;
        private double _missCredit;
        private int _position;

        public ReplayThread(ExecutionProfile profile, double missRate)
        {
            _stream = profile.Stream.Count == 0 ? Synthesise(profile.MemoryFraction)
                : profile.Stream as SampledInstruction[] ?? profile.Stream.ToArray();
            _missRate = missRate;
        }

        public long[] Ready { get; } = new long[32];
        public long Retired { get; private set; }
        public SampledInstruction Next => _stream[_position];

        public void Advance(bool counted)
        {
            if (++_position == _stream.Length) _position = 0;
            if (counted) Retired++;
        }

        /// <summary>Spreads misses evenly over the loads: each load adds the miss rate, and a whole one makes a miss.</summary>
        public bool TakeMiss()
        {
            _missCredit += _missRate;
            if (_missCredit < 1) return false;
            _missCredit -= 1;
            return true;
        }

        /// <summary>
        /// A stream for code that was not sampled: one load in every 1/<paramref name="memoryFraction"/>
        /// instructions, every instruction using the result of the one before (no instruction-level
        /// parallelism: the cautious assumption for code we cannot see).
        /// </summary>
        private static SampledInstruction[] Synthesise(double memoryFraction)
        {
            int period = memoryFraction <= 0 ? 64 : Math.Clamp((int)Math.Round(1 / memoryFraction), 1, 64);
            var s = new SampledInstruction[period];
            s[0] = new SampledInstruction(InstructionClass.Load, 5, 5, 0);
            for (int i = 1; i < period; i++) s[i] = new SampledInstruction(InstructionClass.Alu, 5, 5, 0);
            return s;
        }
    }
}
