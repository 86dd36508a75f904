using VirtLab.Machine;
using VirtLab.Scheduling;

namespace VirtLab.Hypervisor;

/// <summary>
/// Measures what a vCPU's guest does to a core, the way a hardware sampling counter would, without
/// slowing the interpreter: at a sample point it looks ahead from the current pc and follows the
/// next <see cref="WindowLength"/> instructions the guest is about to execute, on a shadow copy of
/// the registers (branches, jumps, address arithmetic and loads from RAM are evaluated; nothing is
/// written). It records each instruction's functional unit and registers (for the core model's
/// dependency chains), and the pages its loads and stores touch (the footprint). Sample points are
/// spread evenly over the instructions the guest retires, so each part of the code is sampled in
/// proportion to the time spent in it.
/// <para>
/// A window ends early at an instruction the look-ahead cannot follow: a system instruction (it
/// traps), a branch or jump whose operands are unknown, or a fetch from a page that is not mapped.
/// </para>
/// </summary>
internal sealed class InstructionSampler(Hart hart, ExecutionProfile profile)
{
    /// <summary>Instructions followed per sample: a few iterations of a typical inner loop.</summary>
    public const int WindowLength = 24;
    /// <summary>Windows kept in the profile's stream (the most recent ones).</summary>
    public const int WindowsKept = 64;
    /// <summary>
    /// Samples between looks at whether the profile should change: all the kept windows are new by
    /// then (about 10 ms of a vCPU's running time at the default sample interval), so a change of
    /// phase shows within one update. Most updates find the guest doing what it did and change nothing.
    /// </summary>
    public const int SamplesPerUpdate = WindowsKept;
    /// <summary>
    /// Windows after which a new vCPU gets its first, provisional profile (a millisecond or so of
    /// running), instead of the core model guessing for the whole first update. Until the profile
    /// holds <see cref="WindowsKept"/> windows it is republished each time the windows double (8, 16, 32, 64).
    /// </summary>
    public const int FirstProfileWindows = 8;
    /// <summary>
    /// The footprint is the pages touched in this many recent samples. One sample sees only a few
    /// pages, so it takes hundreds of them to see a working set of a hundred pages.
    /// </summary>
    public const int FootprintSamples = 256;

    private readonly uint[] _shadow = new uint[32];
    // The kept windows, oldest first from slot (_nextSlot - _windowCount): a ring of fixed slots of
    // WindowLength instructions, written in place, because a sample is taken every few thousand
    // guest instructions and allocating two arrays for each was a measurable cost of the simulator.
    private readonly SampledInstruction[] _ring = new SampledInstruction[WindowsKept * WindowLength];
    private readonly uint[] _ringPcs = new uint[WindowsKept * WindowLength];
    private readonly int[] _slotLength = new int[WindowsKept];
    private int _nextSlot, _windowCount;
    private int _slotStart, _length;                   // the window being sampled: where it starts in the ring, how long it is
    private uint[] _publishedPcs = [];                // where the instructions of the published stream were
    private HashSet<uint> _publishedCode = new();     // the same, as a set
    private HashSet<uint> _spareCode = new();         // the set the next Publish fills; it swaps with the published one when that changes
    private double _publishedFootprint;
    private int _publishedWindows;                    // windows in the published stream; fewer than WindowsKept while the vCPU is new
    private readonly Dictionary<uint, long> _pageLastSeen = new();   // page -> index of the last sample that touched it
    private long _sampleIndex;
    private int _samples;
    private long _instructions, _memoryInstructions;

    /// <summary>Takes one sample at the hart's current pc.</summary>
    public void Sample()
    {
        var space = hart.Memory;
        uint pc = hart.Pc;
        uint known = 0xFFFF_FFFF;   // bit r: the shadow value of x_r is known
        for (int r = 0; r < 32; r++) _shadow[r] = hart[r];
        _slotStart = _nextSlot * WindowLength;
        _length = 0;
        while (_length < WindowLength)
        {
            if (!space.TryPeek(pc, 4, out uint w)) break;
            var d = DecodeAt(pc, w);
            int rd = d.Rd == Hart.ZeroSink ? 0 : d.Rd, rs1 = d.Rs1, rs2 = d.Rs2;
            bool k1 = (known & (1u << rs1)) != 0, k2 = (known & (1u << rs2)) != 0;
            uint a = _shadow[rs1], b = _shadow[rs2];
            uint? value = null;
            uint next = pc + 4;
            var cls = InstructionClass.Alu;
            byte src1 = (byte)rs1, src2 = 0;
            bool taken = false;
            switch (d.Op)
            {
                case Op.LoadConstant:                                                // lui, auipc
                    value = (uint)d.Imm;
                    src1 = 0;
                    break;
                case >= Op.Addi and <= Op.Srai:                                      // ALU with an immediate
                    if (k1) value = Evaluate(d.Op, a, (uint)d.Imm);
                    break;
                case >= Op.Add and <= Op.And:                                        // ALU with two registers
                    src2 = (byte)rs2;
                    if (k1 && k2) value = Evaluate(d.Op, a, b);
                    break;
                case >= Op.Mul and <= Op.Remu:                                       // M extension: only mul's result is followed
                    src2 = (byte)rs2;
                    cls = d.Op <= Op.Mulhu ? InstructionClass.Multiply : InstructionClass.Divide;
                    if (d.Op == Op.Mul && k1 && k2) value = a * b;
                    break;
                case >= Op.Lb and <= Op.Lhu:                                         // load
                {
                    cls = InstructionClass.Load;
                    uint address = a + (uint)d.Imm;
                    int size = d.Op switch { Op.Lb or Op.Lbu => 1, Op.Lh or Op.Lhu => 2, _ => 4 };
                    if (k1) _pageLastSeen[address >> PhysicalMemory.PageShift] = _sampleIndex;
                    if (k1 && space.TryPeek(address, size, out uint loaded))
                        value = d.Op switch { Op.Lb => (uint)(sbyte)loaded, Op.Lh => (uint)(short)loaded, _ => loaded };
                    break;
                }
                case >= Op.Sb and <= Op.Sw:                                          // store: nothing is written
                    cls = InstructionClass.Store;
                    src2 = (byte)rs2;
                    if (k1) _pageLastSeen[(a + (uint)d.Imm) >> PhysicalMemory.PageShift] = _sampleIndex;
                    rd = 0;
                    break;
                case >= Op.Beq and <= Op.Bgeu:                                       // branch (the decoder made the target absolute)
                    cls = InstructionClass.Branch;
                    src2 = (byte)rs2;
                    rd = 0;
                    if (!(k1 && k2)) { Add(pc, cls, 0, src1, src2, false); goto done; }
                    taken = d.Op switch
                    {
                        Op.Beq => a == b, Op.Bne => a != b, Op.Blt => (int)a < (int)b, Op.Bge => (int)a >= (int)b, Op.Bltu => a < b, _ => a >= b,
                    };
                    if (taken) next = (uint)d.Imm;
                    break;
                case Op.Jal:
                    cls = InstructionClass.Branch;
                    src1 = 0;
                    value = d.Link;
                    next = (uint)d.Imm;
                    taken = true;
                    break;
                case Op.Jalr:
                    cls = InstructionClass.Branch;
                    if (!k1) { Add(pc, cls, (byte)rd, src1, 0, true); goto done; }
                    value = d.Link;
                    next = (a + (uint)d.Imm) & ~1u;
                    taken = true;
                    break;
                default: goto done;                                                  // fence, and what the slow path runs (system instructions trap): the look-ahead stops
            }
            Add(pc, cls, (byte)rd, src1, src2, taken);
            if (rd != 0)
            {
                if (value is uint v) { _shadow[rd] = v; known |= 1u << rd; }
                else known &= ~(1u << rd);
            }
            pc = next;
        }
    done:
        if (_length > 0)
        {
            _slotLength[_nextSlot] = _length;
            _nextSlot = (_nextSlot + 1) % WindowsKept;
            _windowCount = Math.Min(_windowCount + 1, WindowsKept);
        }
        _sampleIndex++;
        if (++_samples >= SamplesPerUpdate || (_publishedWindows < WindowsKept && _windowCount >= Math.Max(FirstProfileWindows, 2 * _publishedWindows))) Publish();
    }

    /// <summary>
    /// Entries in the sampler's decode cache. The look-ahead walks the same few loops sample after
    /// sample, and decoding is a search of the instruction table, so each sampler remembers what it
    /// decoded at each pc: 256 instructions cover the inner loops of the workloads and the guest
    /// kernel's handlers.
    /// </summary>
    private const int DecodeCacheSize = 256;
    private readonly (uint Pc, uint Word, DecodedInstruction Decoded)[] _decodeCache = new (uint, uint, DecodedInstruction)[DecodeCacheSize];

    /// <summary>The decoded form of <paramref name="word"/> at <paramref name="pc"/>, from the cache when the same word was decoded there before.</summary>
    private DecodedInstruction DecodeAt(uint pc, uint word)
    {
        ref var entry = ref _decodeCache[(pc >> 2) & (DecodeCacheSize - 1)];
        // An empty entry holds Op.Undecoded, which Decode never returns; the word is compared so that code the guest rewrote is decoded again.
        if (entry.Pc == pc && entry.Word == word && entry.Decoded.Op != Op.Undecoded) return entry.Decoded;
        entry = (pc, word, Decoder.Decode(word, pc));
        return entry.Decoded;
    }

    private void Add(uint pc, InstructionClass cls, byte rd, byte rs1, byte rs2, bool endsBlock)
    {
        _ring[_slotStart + _length] = new SampledInstruction(cls, rd, rs1, rs2, endsBlock);
        _ringPcs[_slotStart + _length] = pc;
        _length++;
        _instructions++;
        if (cls is InstructionClass.Load or InstructionClass.Store) _memoryInstructions++;
    }

    /// <summary>
    /// Hands the recent windows, and the pages touched in the last <see cref="FootprintSamples"/>
    /// samples, to the profile, unless the guest is still doing what the profile already says: about
    /// the same code (see <see cref="CodeChangeTolerance"/>) over about the same footprint (see
    /// <see cref="FootprintTolerance"/>). A new version of the profile makes the core model replay
    /// it, so keeping a steady guest's profile steady is what makes the model cost nothing while
    /// nothing changes.
    /// </summary>
    private void Publish()
    {
        long oldest = _sampleIndex - FootprintSamples;
        foreach (var (page, seen) in _pageLastSeen)
            if (seen < oldest) _pageLastSeen.Remove(page);
        double footprint = Math.Max(1, _pageLastSeen.Count) * (double)PhysicalMemory.PageSize;
        uint[] pcs = KeptWindows(_ringPcs);
        var code = _spareCode;
        code.Clear();
        code.UnionWith(pcs);
        double slack = Math.Max(FootprintTolerance * _publishedFootprint, FootprintSlackPages * (double)PhysicalMemory.PageSize);
        bool sameFootprint = Math.Abs(footprint - _publishedFootprint) <= slack;
        bool sameCode = _publishedWindows == WindowsKept
            && FractionOutside(pcs, _publishedCode) <= CodeChangeTolerance
            && FractionOutside(_publishedPcs, code) <= CodeChangeTolerance;
        if (!(sameCode && sameFootprint))
        {
            profile.Update(
                memoryFraction: _instructions > 0 ? (double)_memoryInstructions / _instructions : 0,
                footprintBytes: footprint,
                stream: KeptWindows(_ring));
            _publishedPcs = pcs;
            _publishedWindows = _windowCount;
            (_spareCode, _publishedCode) = (_publishedCode, code);
            _publishedFootprint = footprint;
        }
        _samples = 0;
        _instructions = _memoryInstructions = 0;
    }

    /// <summary>The kept windows of <paramref name="ring"/> (instructions or their pcs), oldest first, in one new array.</summary>
    private T[] KeptWindows<T>(T[] ring)
    {
        int first = (_nextSlot - _windowCount + WindowsKept) % WindowsKept, total = 0;
        for (int k = 0; k < _windowCount; k++) total += _slotLength[(first + k) % WindowsKept];
        var all = new T[total];
        int at = 0;
        for (int k = 0; k < _windowCount; k++)
        {
            int slot = (first + k) % WindowsKept;
            Array.Copy(ring, slot * WindowLength, all, at, _slotLength[slot]);
            at += _slotLength[slot];
        }
        return all;
    }

    /// <summary>
    /// Largest share of sampled instructions that may lie outside the code of the published profile
    /// (or of the published profile's outside the new sample's) with the profile kept: a tenth.
    /// Code a few windows happened to land in, such as a timer handler, does not make a new profile;
    /// a change of phase, where most of the time goes to other code, does.
    /// </summary>
    public const double CodeChangeTolerance = 0.1;
    /// <summary>Relative change in footprint below which the profile is kept: an eighth.</summary>
    public const double FootprintTolerance = 0.125;
    /// <summary>
    /// Change in footprint, in pages, that never counts as a change: a small working set gains or
    /// loses a stack or data page between samples, far below what moves a 256 KiB cache's miss rate.
    /// </summary>
    public const int FootprintSlackPages = 4;

    private static double FractionOutside(uint[] pcs, HashSet<uint> code)
    {
        if (pcs.Length == 0) return 0;
        int outside = 0;
        foreach (uint pc in pcs) if (!code.Contains(pc)) outside++;
        return (double)outside / pcs.Length;
    }

    /// <summary>The result of an ALU operation on <paramref name="a"/> and <paramref name="b"/> (a register or the immediate).</summary>
    private static uint Evaluate(Op op, uint a, uint b) => op switch
    {
        Op.Addi or Op.Add => a + b,
        Op.Sub => a - b,
        Op.Slti or Op.Slt => (int)a < (int)b ? 1u : 0,
        Op.Sltiu or Op.Sltu => a < b ? 1u : 0,
        Op.Xori or Op.Xor => a ^ b,
        Op.Ori or Op.Or => a | b,
        Op.Andi or Op.And => a & b,
        Op.Slli or Op.Sll => a << (int)(b & 31),
        Op.Srli or Op.Srl => a >> (int)(b & 31),
        _ => (uint)((int)a >> (int)(b & 31)),   // srai, sra
    };
}
