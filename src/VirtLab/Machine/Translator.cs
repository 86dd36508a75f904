using System.Collections.Concurrent;
using System.Reflection.Emit;

namespace VirtLab.Machine;

/// <summary>
/// Translated guest code: runs a region of one page's pre-decoded instructions as host code.
/// <paramref name="x"/> is the register file, <paramref name="ram"/> and <paramref name="map"/> the
/// host memory and the address space's page map. <paramref name="left"/> is the instruction budget:
/// the code never runs more than it allows, and takes off what it ran. Returns the address of the
/// next instruction to run, which the interpreter takes from there.
/// </summary>
internal unsafe delegate uint TranslatedCode(uint* x, byte* ram, uint* map, uint ramSize, long* left);

/// <summary>
/// Dynamic binary translation, the way QEMU's TCG and every fast emulator does it, reduced to its
/// core. Once a branch target in a page has been jumped to often enough (see
/// <see cref="AddressSpace.TranslationThreshold"/>), the region of that page reachable from it
/// through straight-line code, branches and jumps is compiled into one host method (IL, then the
/// .NET JIT makes machine code of it). Loops inside the region then run as host loops, without
/// the interpreter's fetch-and-dispatch per instruction.
/// <para>
/// The translation keeps the interpreter's contract exactly. It is made of basic blocks; before a
/// block runs, it checks that the whole block fits in the budget, and if not, it hands back to the
/// interpreter, which runs the rest one instruction at a time up to the exact count. Anything the
/// translation does not do itself leaves it with the guest state exact up to the instruction before:
/// an instruction the fast path does not know (CSR, ecall, mret, wfi, fence.i), a load or store
/// that is not a plain RAM access inside one page (a device, a page to fault in, a watched or code
/// page, an access across pages), a jump out of the page, or a misaligned jalr target. So timer
/// deadlines, traps and counters come out exactly as on the reference interpreter.
/// </para>
/// <para>
/// A translation is built from a page's decoded slots; when the page's decoded code is dropped
/// (self-modifying code, a remapped page, fence.i) its translations go with it.
/// </para>
/// </summary>
internal static unsafe class Translator
{
    /// <summary>
    /// Most instructions in one region. A page holds 1,024; hot loops are far smaller, and a bound
    /// keeps the JIT's work per translation small.
    /// </summary>
    public const int MaxRegionInstructions = 512;

    /// <summary>
    /// Translations already made, by what they translate. VMs that run the same guest kernel at the
    /// same guest-physical addresses share them, so sixteen VMs cost one compilation, not sixteen.
    /// </summary>
    private static readonly ConcurrentDictionary<RegionKey, TranslatedCode> Cache = new();
    /// <summary>Bound on the cache, so that a long fuzzing run that translates endless random code cannot grow it without limit.</summary>
    private const int MaxCachedTranslations = 20_000;

    /// <summary>
    /// Translates the region of <paramref name="page"/> that starts at slot <paramref name="entry"/>,
    /// decoding instructions not yet decoded. Null when there is nothing worth translating (the
    /// entry is not a fast-path instruction).
    /// </summary>
    public static TranslatedCode? Translate(AddressSpace space, int page, int entry)
    {
        DecodedInstruction* slots = space.Code.PageSlots(page);
        uint pageBase = space.RamBase + ((uint)page << PhysicalMemory.PageShift);
        byte* frame = space.Host.Base + (space.PageMap[page] & AddressSpace.FrameMask);

        var region = Region.Find(slots, frame, pageBase, entry);
        if (region.Count == 0) return null;
        var key = RegionKey.Of(space.RamBase, pageBase, entry, slots, region);
        if (Cache.TryGetValue(key, out var cached)) return cached;
        var code = new Emitter(slots, space.RamBase, pageBase, entry, region).Emit();
        if (Cache.Count >= MaxCachedTranslations) Cache.Clear();
        return Cache.GetOrAdd(key, code);
    }

    /// <summary>True for the ops a translation executes itself.</summary>
    private static bool Translatable(Op op) => op >= Op.LoadConstant;

    private static bool EndsBlock(Op op) => op is Op.Jal or Op.Jalr or >= Op.Beq and <= Op.Bgeu;

    /// <summary>
    /// The instructions reachable from the entry without leaving the page or meeting an instruction
    /// the translation cannot run, and the leaders among them (where a basic block starts).
    /// </summary>
    private sealed class Region
    {
        public readonly bool[] Included = new bool[DecodedCode.SlotsPerPage];
        public readonly bool[] Leader = new bool[DecodedCode.SlotsPerPage];
        public int Count;

        public static Region Find(DecodedInstruction* slots, byte* frame, uint pageBase, int entry)
        {
            var r = new Region();
            var work = new Stack<int>();
            work.Push(entry);
            r.Leader[entry] = true;
            while (work.Count > 0)
            {
                int i = work.Pop();
                if (i >= DecodedCode.SlotsPerPage || r.Included[i]) continue;
                ref DecodedInstruction d = ref slots[i];
                if (d.Op == Op.Undecoded)
                    d = Decoder.Decode(*(uint*)(frame + i * 4), pageBase + (uint)(i * 4));
                if (!Translatable(d.Op) || r.Count == MaxRegionInstructions) continue;
                r.Included[i] = true;
                r.Count++;
                switch (d.Op)
                {
                    case Op.Jal: Follow(r, work, pageBase, (uint)d.Imm); break;
                    case Op.Jalr: break;
                    case >= Op.Beq and <= Op.Bgeu:
                        Follow(r, work, pageBase, (uint)d.Imm);
                        if (i + 1 < DecodedCode.SlotsPerPage) { r.Leader[i + 1] = true; work.Push(i + 1); }
                        break;
                    default: work.Push(i + 1); break;
                }
            }
            return r;
        }

        private static void Follow(Region r, Stack<int> work, uint pageBase, uint target)
        {
            uint offset = target - pageBase;
            if (offset >= PhysicalMemory.PageSize) return;   // leaves the page: an exit
            int slot = (int)(offset >> 2);
            r.Leader[slot] = true;
            work.Push(slot);
        }
    }

    /// <summary>Identity of a translation: where it is and exactly which decoded instructions it was made from.</summary>
    private sealed class RegionKey : IEquatable<RegionKey>
    {
        private readonly uint _ramBase, _pageBase;
        private readonly int _entry, _hash;
        private readonly ulong[] _body;

        private RegionKey(uint ramBase, uint pageBase, int entry, ulong[] body)
        {
            _ramBase = ramBase; _pageBase = pageBase; _entry = entry; _body = body;
            var h = new HashCode();
            h.Add(ramBase); h.Add(pageBase); h.Add(entry);
            foreach (ulong v in body) h.Add(v);
            _hash = h.ToHashCode();
        }

        public static RegionKey Of(uint ramBase, uint pageBase, int entry, DecodedInstruction* slots, Region region)
        {
            var body = new ulong[region.Count * 2];
            int n = 0;
            for (int i = 0; i < DecodedCode.SlotsPerPage; i++)
            {
                if (!region.Included[i]) continue;
                ref DecodedInstruction d = ref slots[i];
                body[n++] = (uint)i | (ulong)d.Op << 16 | (ulong)d.Rd << 24 | (ulong)d.Rs1 << 32 | (ulong)d.Rs2 << 40 | (region.Leader[i] ? 1UL << 48 : 0);
                body[n++] = unchecked((uint)d.Imm) | (ulong)d.Link << 32;
            }
            return new RegionKey(ramBase, pageBase, entry, body);
        }

        public bool Equals(RegionKey? o) =>
            o is not null && _hash == o._hash && _ramBase == o._ramBase && _pageBase == o._pageBase && _entry == o._entry
            && _body.AsSpan().SequenceEqual(o._body);

        public override bool Equals(object? obj) => Equals(obj as RegionKey);
        public override int GetHashCode() => _hash;
    }

    /// <summary>
    /// Writes the IL for a region. The guest registers the region uses live in locals, which the
    /// JIT keeps in host registers where it can: they are loaded from the register file on entry and
    /// stored back at the one exit every way out goes through, so the register file is exact
    /// whenever the interpreter looks at it. The budget is a local too.
    /// </summary>
    private sealed class Emitter
    {
        private readonly DecodedInstruction* _slots;
        private readonly uint _ramBase, _pageBase;
        private readonly int _entry;
        private readonly Region _region;
        private readonly ILGenerator _il;
        private readonly DynamicMethod _method;
        private readonly Label[] _blockLabel = new Label[DecodedCode.SlotsPerPage];
        private readonly Dictionary<(uint Pc, int Refund), Label> _exits = new();
        private readonly LocalBuilder _left, _next, _offset, _mapEntry, _target;
        private readonly Label _exit;
        /// <summary>The local that holds guest register x<i>n</i> in this translation, if the region uses it.</summary>
        private readonly LocalBuilder?[] _register = new LocalBuilder?[32];

        // Arguments of TranslatedCode.
        private const short ArgX = 0, ArgRam = 1, ArgMap = 2, ArgRamSize = 3, ArgLeft = 4;

        public Emitter(DecodedInstruction* slots, uint ramBase, uint pageBase, int entry, Region region)
        {
            _slots = slots; _ramBase = ramBase; _pageBase = pageBase; _entry = entry; _region = region;
            _method = new DynamicMethod($"guest_{pageBase:x8}", typeof(uint),
                [typeof(uint*), typeof(byte*), typeof(uint*), typeof(uint), typeof(long*)], typeof(Translator).Module, skipVisibility: true);
            _il = _method.GetILGenerator();
            _left = _il.DeclareLocal(typeof(long));
            _next = _il.DeclareLocal(typeof(uint));
            _offset = _il.DeclareLocal(typeof(uint));
            _mapEntry = _il.DeclareLocal(typeof(uint));
            _target = _il.DeclareLocal(typeof(uint));
            _exit = _il.DefineLabel();
            for (int i = 0; i < DecodedCode.SlotsPerPage; i++)
            {
                if (!region.Included[i]) continue;
                // Fields an op does not use hold other bits of the word; a spare local costs nothing.
                foreach (int r in (ReadOnlySpan<int>)[slots[i].Rd, slots[i].Rs1, slots[i].Rs2])
                    if (r is > 0 and < 32) _register[r] ??= _il.DeclareLocal(typeof(uint));
            }
        }

        public TranslatedCode Emit()
        {
            for (int i = 0; i < DecodedCode.SlotsPerPage; i++)
                if (_region.Leader[i] && _region.Included[i]) _blockLabel[i] = _il.DefineLabel();

            // left = *leftPointer; then into the entry block (blocks are laid out in address order,
            // and the entry need not be the first).
            _il.Emit(OpCodes.Ldarg, ArgLeft);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Stloc, _left);
            for (int r = 1; r < 32; r++)
            {
                if (_register[r] is not { } local) continue;
                RegisterAddress(r);
                _il.Emit(OpCodes.Ldind_U4);
                _il.Emit(OpCodes.Stloc, local);
            }
            _il.Emit(OpCodes.Br, _blockLabel[_entry]);

            for (int i = 0; i < DecodedCode.SlotsPerPage; i++)
                if (_region.Included[i] && _region.Leader[i]) EmitBlock(i);

            foreach (var ((pc, refund), label) in _exits)
            {
                _il.MarkLabel(label);
                if (refund != 0)
                {
                    _il.Emit(OpCodes.Ldloc, _left);
                    _il.Emit(OpCodes.Ldc_I8, (long)refund);
                    _il.Emit(OpCodes.Add);
                    _il.Emit(OpCodes.Stloc, _left);
                }
                _il.Emit(OpCodes.Ldc_I4, unchecked((int)pc));
                _il.Emit(OpCodes.Stloc, _next);
                _il.Emit(OpCodes.Br, _exit);
            }
            _il.MarkLabel(_exit);
            for (int r = 1; r < 32; r++)
            {
                if (_register[r] is not { } local) continue;
                RegisterAddress(r);
                _il.Emit(OpCodes.Ldloc, local);
                _il.Emit(OpCodes.Stind_I4);
            }
            _il.Emit(OpCodes.Ldarg, ArgLeft);
            _il.Emit(OpCodes.Ldloc, _left);
            _il.Emit(OpCodes.Stind_I8);
            _il.Emit(OpCodes.Ldloc, _next);
            _il.Emit(OpCodes.Ret);
            return _method.CreateDelegate<TranslatedCode>();
        }

        private uint PcOf(int slot) => _pageBase + (uint)(slot << 2);

        /// <summary>An exit that leaves with the budget given back for <paramref name="refund"/> instructions not run, resuming at <paramref name="pc"/>.</summary>
        private Label Exit(uint pc, int refund)
        {
            if (!_exits.TryGetValue((pc, refund), out var label)) _exits[(pc, refund)] = label = _il.DefineLabel();
            return label;
        }

        private void EmitBlock(int first)
        {
            int last = first;
            while (!EndsBlock(_slots[last].Op) && last + 1 < DecodedCode.SlotsPerPage
                   && _region.Included[last + 1] && !_region.Leader[last + 1])
                last++;
            int length = last - first + 1;

            // The whole block must fit in the budget, or the interpreter finishes the count.
            _il.MarkLabel(_blockLabel[first]);
            _il.Emit(OpCodes.Ldloc, _left);
            _il.Emit(OpCodes.Ldc_I8, (long)length);
            _il.Emit(OpCodes.Blt, Exit(PcOf(first), 0));
            _il.Emit(OpCodes.Ldloc, _left);
            _il.Emit(OpCodes.Ldc_I8, (long)length);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, _left);

            for (int i = first; i <= last; i++) EmitInstruction(i, refund: last - i + 1);

            // Falling off the end of the block: into the next block of the region, or out.
            if (!EndsBlock(_slots[last].Op)) _il.Emit(OpCodes.Br, LabelFor(PcOf(last + 1)));
        }

        /// <summary>
        /// Where control goes to continue at <paramref name="target"/>: the block of the region that
        /// starts there, or an exit to the interpreter at that address (outside the region, or past
        /// the page's end into the next page).
        /// </summary>
        private Label LabelFor(uint target)
        {
            uint offset = target - _pageBase;
            return offset < PhysicalMemory.PageSize && _region.Included[offset >> 2] ? _blockLabel[offset >> 2] : Exit(target, 0);
        }

        // ------------------------------------------------------------ registers

        private void LoadRegister(int r)
        {
            if (r == 0) _il.Emit(OpCodes.Ldc_I4_0);
            else _il.Emit(OpCodes.Ldloc, _register[r]!);
        }

        /// <summary>Pushes the address of x<paramref name="rd"/> in the register file.</summary>
        private void RegisterAddress(int rd)
        {
            _il.Emit(OpCodes.Ldarg, ArgX);
            _il.Emit(OpCodes.Ldc_I4, rd * 4);
            _il.Emit(OpCodes.Add);
        }

        private void Constant(int value) => _il.Emit(OpCodes.Ldc_I4, value);

        // ------------------------------------------------------------ instructions

        private void EmitInstruction(int slot, int refund)
        {
            DecodedInstruction d = _slots[slot];
            uint pc = PcOf(slot);
            int rd = d.Rd;
            switch (d.Op)
            {
                case Op.LoadConstant: Write(rd, () => Constant(d.Imm)); break;
                case Op.Fence: break;

                case Op.Jal:
                    Write(rd, () => Constant((int)d.Link));
                    _il.Emit(OpCodes.Br, LabelFor((uint)d.Imm));
                    break;
                case Op.Jalr:
                    // target = (rs1 + imm) & ~1, computed before rd is written (rd may be rs1); a
                    // target that is not 4-byte aligned traps on the jalr: the interpreter does that.
                    LoadRegister(d.Rs1); Constant(d.Imm); _il.Emit(OpCodes.Add); Constant(~1); _il.Emit(OpCodes.And);
                    _il.Emit(OpCodes.Stloc, _target);
                    _il.Emit(OpCodes.Ldloc, _target); Constant(3); _il.Emit(OpCodes.And);
                    _il.Emit(OpCodes.Brtrue, Exit(pc, refund));
                    Write(rd, () => Constant((int)d.Link));
                    _il.Emit(OpCodes.Ldloc, _target);
                    _il.Emit(OpCodes.Stloc, _next);
                    _il.Emit(OpCodes.Br, _exit);
                    break;

                case Op.Beq: Branch(d, slot, OpCodes.Beq); break;
                case Op.Bne: Branch(d, slot, OpCodes.Bne_Un); break;
                case Op.Blt: Branch(d, slot, OpCodes.Blt); break;
                case Op.Bge: Branch(d, slot, OpCodes.Bge); break;
                case Op.Bltu: Branch(d, slot, OpCodes.Blt_Un); break;
                case Op.Bgeu: Branch(d, slot, OpCodes.Bge_Un); break;

                case Op.Lb: Load(d, pc, refund, 1, OpCodes.Ldind_I1); break;
                case Op.Lbu: Load(d, pc, refund, 1, OpCodes.Ldind_U1); break;
                case Op.Lh: Load(d, pc, refund, 2, OpCodes.Ldind_I2); break;
                case Op.Lhu: Load(d, pc, refund, 2, OpCodes.Ldind_U2); break;
                case Op.Lw: Load(d, pc, refund, 4, OpCodes.Ldind_U4); break;
                case Op.Sb: Store(d, pc, refund, 1, OpCodes.Stind_I1); break;
                case Op.Sh: Store(d, pc, refund, 2, OpCodes.Stind_I2); break;
                case Op.Sw: Store(d, pc, refund, 4, OpCodes.Stind_I4); break;

                case Op.Addi: Immediate(d, OpCodes.Add); break;
                case Op.Xori: Immediate(d, OpCodes.Xor); break;
                case Op.Ori: Immediate(d, OpCodes.Or); break;
                case Op.Andi: Immediate(d, OpCodes.And); break;
                case Op.Slli: Immediate(d, OpCodes.Shl); break;   // the decoder already masked shamt to 5 bits
                case Op.Srli: Immediate(d, OpCodes.Shr_Un); break;
                case Op.Srai: Immediate(d, OpCodes.Shr); break;
                case Op.Slti: Immediate(d, OpCodes.Clt); break;
                case Op.Sltiu: Immediate(d, OpCodes.Clt_Un); break;

                case Op.Add: Registers(d, OpCodes.Add); break;
                case Op.Sub: Registers(d, OpCodes.Sub); break;
                case Op.Xor: Registers(d, OpCodes.Xor); break;
                case Op.Or: Registers(d, OpCodes.Or); break;
                case Op.And: Registers(d, OpCodes.And); break;
                case Op.Slt: Registers(d, OpCodes.Clt); break;
                case Op.Sltu: Registers(d, OpCodes.Clt_Un); break;
                case Op.Mul: Registers(d, OpCodes.Mul); break;
                // IL leaves shifts by 32 or more undefined; RISC-V uses the low 5 bits of rs2.
                case Op.Sll: Shift(d, OpCodes.Shl); break;
                case Op.Srl: Shift(d, OpCodes.Shr_Un); break;
                case Op.Sra: Shift(d, OpCodes.Shr); break;

                case Op.Mulh: HighProduct(d, OpCodes.Conv_I8, OpCodes.Conv_I8, OpCodes.Shr); break;
                case Op.Mulhsu: HighProduct(d, OpCodes.Conv_I8, OpCodes.Conv_U8, OpCodes.Shr); break;
                case Op.Mulhu: HighProduct(d, OpCodes.Conv_U8, OpCodes.Conv_U8, OpCodes.Shr_Un); break;
                case Op.Div: Call(d, nameof(MulDiv.Div)); break;
                case Op.Divu: Call(d, nameof(MulDiv.Divu)); break;
                case Op.Rem: Call(d, nameof(MulDiv.Rem)); break;
                case Op.Remu: Call(d, nameof(MulDiv.Remu)); break;

                default: throw new InvalidOperationException($"op {d.Op} is not translatable");
            }
        }

        /// <summary>x[rd] = value; a write to x0 (stored as <see cref="Hart.ZeroSink"/>) is dropped.</summary>
        private void Write(int rd, Action value)
        {
            if (rd == Hart.ZeroSink) return;
            value();
            _il.Emit(OpCodes.Stloc, _register[rd]!);
        }

        private void Immediate(DecodedInstruction d, OpCode op) =>
            Write(d.Rd, () => { LoadRegister(d.Rs1); Constant(d.Imm); _il.Emit(op); });

        private void Registers(DecodedInstruction d, OpCode op) =>
            Write(d.Rd, () => { LoadRegister(d.Rs1); LoadRegister(d.Rs2); _il.Emit(op); });

        private void Shift(DecodedInstruction d, OpCode op) =>
            Write(d.Rd, () => { LoadRegister(d.Rs1); LoadRegister(d.Rs2); Constant(31); _il.Emit(OpCodes.And); _il.Emit(op); });

        private void HighProduct(DecodedInstruction d, OpCode widenA, OpCode widenB, OpCode shift) =>
            Write(d.Rd, () =>
            {
                LoadRegister(d.Rs1); _il.Emit(widenA);
                LoadRegister(d.Rs2); _il.Emit(widenB);
                _il.Emit(OpCodes.Mul);
                Constant(32); _il.Emit(shift);
                _il.Emit(OpCodes.Conv_U4);
            });

        private void Call(DecodedInstruction d, string method) =>
            Write(d.Rd, () => { LoadRegister(d.Rs1); LoadRegister(d.Rs2); _il.Emit(OpCodes.Call, typeof(MulDiv).GetMethod(method)!); });

        private void Branch(DecodedInstruction d, int slot, OpCode compareAndBranch)
        {
            LoadRegister(d.Rs1);
            LoadRegister(d.Rs2);
            _il.Emit(compareAndBranch, LabelFor((uint)d.Imm));
            _il.Emit(OpCodes.Br, LabelFor(PcOf(slot + 1)));
        }

        /// <summary>
        /// Leaves <c>mapEntry</c> (the page map entry) and <c>offset</c> (the RAM offset) set for a
        /// plain RAM access of <paramref name="size"/> bytes inside one page whose entry has
        /// <paramref name="right"/>, or exits to the interpreter at this instruction.
        /// </summary>
        private void CheckAccess(DecodedInstruction d, uint pc, int refund, int size, uint right)
        {
            var exit = Exit(pc, refund);
            // offset = x[rs1] + imm - RamBase, compared unsigned against the RAM size.
            LoadRegister(d.Rs1); Constant(d.Imm); _il.Emit(OpCodes.Add);
            Constant(unchecked((int)_ramBase)); _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, _offset);
            _il.Emit(OpCodes.Ldloc, _offset); _il.Emit(OpCodes.Ldarg, ArgRamSize); _il.Emit(OpCodes.Bge_Un, exit);
            if (size > 1)
            {
                _il.Emit(OpCodes.Ldloc, _offset); Constant((int)PhysicalMemory.PageOffsetMask); _il.Emit(OpCodes.And);
                Constant((int)PhysicalMemory.PageOffsetMask - (size - 1)); _il.Emit(OpCodes.Bgt_Un, exit);
            }
            // entry = map[offset >> PageShift]
            _il.Emit(OpCodes.Ldarg, ArgMap);
            _il.Emit(OpCodes.Ldloc, _offset); Constant(PhysicalMemory.PageShift); _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Conv_U); Constant(4); _il.Emit(OpCodes.Mul); _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Ldind_U4);
            _il.Emit(OpCodes.Stloc, _mapEntry);
            _il.Emit(OpCodes.Ldloc, _mapEntry); Constant((int)right); _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Brfalse, exit);
        }

        /// <summary>Pushes the host address ram + frame + offset-in-page for the access checked by <see cref="CheckAccess"/>.</summary>
        private void HostAddress()
        {
            _il.Emit(OpCodes.Ldarg, ArgRam);
            _il.Emit(OpCodes.Ldloc, _mapEntry); Constant(unchecked((int)AddressSpace.FrameMask)); _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Ldloc, _offset); Constant((int)PhysicalMemory.PageOffsetMask); _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Conv_U);
            _il.Emit(OpCodes.Add);
        }

        private void Load(DecodedInstruction d, uint pc, int refund, int size, OpCode load)
        {
            CheckAccess(d, pc, refund, size, AddressSpace.Readable);
            if (d.Rd == Hart.ZeroSink) return;   // the access was checked, the value goes nowhere
            Write(d.Rd, () => { HostAddress(); _il.Emit(load); });
        }

        private void Store(DecodedInstruction d, uint pc, int refund, int size, OpCode store)
        {
            CheckAccess(d, pc, refund, size, AddressSpace.FastWrite);
            HostAddress();
            LoadRegister(d.Rs2);
            _il.Emit(store);
        }
    }
}
