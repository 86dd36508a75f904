namespace VirtLab.Machine;

public sealed unsafe partial class Hart
{
    private const uint PageMask = PhysicalMemory.PageOffsetMask;

    /// <summary>
    /// The hot loop. Runs at most <paramref name="slice"/> instructions from pre-decoded slots,
    /// walking them by pointer: a sequential instruction is <c>ip++</c>, and neither the PC nor
    /// the instruction count is touched until control leaves a straight-line run. The budget is
    /// checked at every taken branch or jump; when it would run out inside the current
    /// straight-line run, a <see cref="Op.BudgetEnd"/> sentinel is planted over the slot where it
    /// does, and taken away again before the block ends.
    /// <para>
    /// Ops the fast path does not handle, and loads or stores that are not plain RAM accesses
    /// inside one page, go to <see cref="SlowStep"/>: if such an instruction is not the first of
    /// the block, the block ends just before it, so the slow path always starts with exact
    /// counters and a fresh interrupt check. Returns the instructions retired.
    /// </para>
    /// </summary>
    private long ExecuteBlock(long slice)
    {
        // Only x, ip, run and left live in registers through the loop; what the loop needs rarely
        // (or only for loads and stores) is read from fields, which keeps the JIT from spilling
        // the hot values to the stack.
        AddressSpace mem = Memory;
        _ramBase = mem.RamBase;
        _ramSize = mem.RamSize;
        _map = mem.PageMap;
        _ram = mem.Host.Base;
        uint* x = _x;

        uint pc = Pc;
        uint off = pc - _ramBase;
        if (off >= _ramSize || (pc & 3) != 0 || (_map[off >> PhysicalMemory.PageShift] & AddressSpace.Readable) == 0)
            return SlowStep();   // fetch fault, misaligned pc, or a page to fault in

        _pageBase = pc & ~PageMask;
        _slots = mem.CodePage((int)(off >> PhysicalMemory.PageShift));
        _translationThreshold = mem.TranslationThreshold;
        DecodedInstruction* ip = _slots + ((pc & PageMask) >> 2);
        if (EnteredHotCode(ip))
        {
            // Hot code: run its translation, and end the block where the translation stops.
            var (next, rest) = RunTranslation(ip, slice);
            if (rest != slice) { Pc = next; return Retire(slice - rest); }
        }
        DecodedInstruction* run = ip;   // first instruction of the current straight-line run
        long left = slice;              // budget still unspent before this run
        uint target, a, o, e;
        int size;
        PlantBudgetEnd(ip, left);

        for (;;)
        {
            switch (ip->Op)
            {
                case Op.Undecoded:
                {
                    uint at = _pageBase + (uint)((ip - _slots) << 2);
                    e = _map[(at - _ramBase) >> PhysicalMemory.PageShift];
                    *ip = Decoder.Decode(*(uint*)(_ram + (e & AddressSpace.FrameMask) + (at & PageMask)), at);
                    continue;
                }
                case Op.PageEnd:
                    // Fall through into the next page: the sentinel itself is not an instruction.
                    left -= ip - run;
                    target = _pageBase + PhysicalMemory.PageSize;
                    goto Enter;
                case Op.Slow: goto Slow;
                case Op.BudgetEnd:
                    // The budget is spent: this slot's own instruction has not run.
                    left -= ip - run;
                    RemoveBudgetEnd();
                    Pc = _pageBase + (uint)((ip - _slots) << 2);
                    return Retire(slice - left);

                case Op.LoadConstant: x[ip->Rd] = (uint)ip->Imm; ip++; continue;
                case Op.Jal: x[ip->Rd] = ip->Link; target = (uint)ip->Imm; goto Jump;
                case Op.Jalr:
                    target = (x[ip->Rs1] + (uint)ip->Imm) & ~1u;
                    if ((target & 3) != 0) goto Slow;
                    x[ip->Rd] = ip->Link;
                    goto Jump;

                case Op.Beq: if (x[ip->Rs1] == x[ip->Rs2]) { target = (uint)ip->Imm; goto Jump; } ip++; continue;
                case Op.Bne: if (x[ip->Rs1] != x[ip->Rs2]) { target = (uint)ip->Imm; goto Jump; } ip++; continue;
                case Op.Blt: if ((int)x[ip->Rs1] < (int)x[ip->Rs2]) { target = (uint)ip->Imm; goto Jump; } ip++; continue;
                case Op.Bge: if ((int)x[ip->Rs1] >= (int)x[ip->Rs2]) { target = (uint)ip->Imm; goto Jump; } ip++; continue;
                case Op.Bltu: if (x[ip->Rs1] < x[ip->Rs2]) { target = (uint)ip->Imm; goto Jump; } ip++; continue;
                case Op.Bgeu: if (x[ip->Rs1] >= x[ip->Rs2]) { target = (uint)ip->Imm; goto Jump; } ip++; continue;

                // Loads and stores: RAM inside one page only; anything else (devices, a page to fault
                // in, a watched or code page, an access straddling pages) takes the slow path.
                case Op.Lb:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - _ramBase;
                    if (o < _ramSize && ((e = _map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = (uint)*(sbyte*)(_ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Lbu:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - _ramBase;
                    if (o < _ramSize && ((e = _map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = *(_ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Lh:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - _ramBase;
                    if (o < _ramSize && (o & PageMask) <= PageMask - 1 && ((e = _map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = (uint)*(short*)(_ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Lhu:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - _ramBase;
                    if (o < _ramSize && (o & PageMask) <= PageMask - 1 && ((e = _map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = *(ushort*)(_ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Lw:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - _ramBase;
                    if (o < _ramSize && (o & PageMask) <= PageMask - 3 && ((e = _map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = *(uint*)(_ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Sb:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - _ramBase;
                    if (o < _ramSize && ((e = _map[o >> PhysicalMemory.PageShift]) & AddressSpace.FastWrite) != 0)
                    { *(_ram + (e & AddressSpace.FrameMask) + (o & PageMask)) = (byte)x[ip->Rs2]; ip++; continue; }
                    size = 1; goto StoreAside;
                case Op.Sh:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - _ramBase;
                    if (o < _ramSize && (o & PageMask) <= PageMask - 1 && ((e = _map[o >> PhysicalMemory.PageShift]) & AddressSpace.FastWrite) != 0)
                    { *(ushort*)(_ram + (e & AddressSpace.FrameMask) + (o & PageMask)) = (ushort)x[ip->Rs2]; ip++; continue; }
                    size = 2; goto StoreAside;
                case Op.Sw:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - _ramBase;
                    if (o < _ramSize && (o & PageMask) <= PageMask - 3 && ((e = _map[o >> PhysicalMemory.PageShift]) & AddressSpace.FastWrite) != 0)
                    { *(uint*)(_ram + (e & AddressSpace.FrameMask) + (o & PageMask)) = x[ip->Rs2]; ip++; continue; }
                    size = 4; goto StoreAside;

                case Op.Addi: x[ip->Rd] = x[ip->Rs1] + (uint)ip->Imm; ip++; continue;
                case Op.Slti: x[ip->Rd] = (int)x[ip->Rs1] < ip->Imm ? 1u : 0u; ip++; continue;
                case Op.Sltiu: x[ip->Rd] = x[ip->Rs1] < (uint)ip->Imm ? 1u : 0u; ip++; continue;
                case Op.Xori: x[ip->Rd] = x[ip->Rs1] ^ (uint)ip->Imm; ip++; continue;
                case Op.Ori: x[ip->Rd] = x[ip->Rs1] | (uint)ip->Imm; ip++; continue;
                case Op.Andi: x[ip->Rd] = x[ip->Rs1] & (uint)ip->Imm; ip++; continue;
                case Op.Slli: x[ip->Rd] = x[ip->Rs1] << ip->Imm; ip++; continue;
                case Op.Srli: x[ip->Rd] = x[ip->Rs1] >> ip->Imm; ip++; continue;
                case Op.Srai: x[ip->Rd] = (uint)((int)x[ip->Rs1] >> ip->Imm); ip++; continue;

                case Op.Add: x[ip->Rd] = x[ip->Rs1] + x[ip->Rs2]; ip++; continue;
                case Op.Sub: x[ip->Rd] = x[ip->Rs1] - x[ip->Rs2]; ip++; continue;
                case Op.Sll: x[ip->Rd] = x[ip->Rs1] << (int)x[ip->Rs2]; ip++; continue;
                case Op.Slt: x[ip->Rd] = (int)x[ip->Rs1] < (int)x[ip->Rs2] ? 1u : 0u; ip++; continue;
                case Op.Sltu: x[ip->Rd] = x[ip->Rs1] < x[ip->Rs2] ? 1u : 0u; ip++; continue;
                case Op.Xor: x[ip->Rd] = x[ip->Rs1] ^ x[ip->Rs2]; ip++; continue;
                case Op.Srl: x[ip->Rd] = x[ip->Rs1] >> (int)x[ip->Rs2]; ip++; continue;
                case Op.Sra: x[ip->Rd] = (uint)((int)x[ip->Rs1] >> (int)x[ip->Rs2]); ip++; continue;
                case Op.Or: x[ip->Rd] = x[ip->Rs1] | x[ip->Rs2]; ip++; continue;
                case Op.And: x[ip->Rd] = x[ip->Rs1] & x[ip->Rs2]; ip++; continue;

                case Op.Mul: x[ip->Rd] = x[ip->Rs1] * x[ip->Rs2]; ip++; continue;
                case Op.Mulh: x[ip->Rd] = (uint)(((long)(int)x[ip->Rs1] * (int)x[ip->Rs2]) >> 32); ip++; continue;
                case Op.Mulhsu: x[ip->Rd] = (uint)(((long)(int)x[ip->Rs1] * (long)x[ip->Rs2]) >> 32); ip++; continue;
                case Op.Mulhu: x[ip->Rd] = (uint)(((ulong)x[ip->Rs1] * x[ip->Rs2]) >> 32); ip++; continue;
                case Op.Div: x[ip->Rd] = MulDiv.Div(x[ip->Rs1], x[ip->Rs2]); ip++; continue;
                case Op.Divu: { uint d = x[ip->Rs2]; x[ip->Rd] = d == 0 ? uint.MaxValue : x[ip->Rs1] / d; ip++; continue; }
                case Op.Rem: x[ip->Rd] = MulDiv.Rem(x[ip->Rs1], x[ip->Rs2]); ip++; continue;
                case Op.Remu: { uint d = x[ip->Rs2]; x[ip->Rd] = d == 0 ? x[ip->Rs1] : x[ip->Rs1] % d; ip++; continue; }

                case Op.Fence: ip++; continue;
                default: goto Slow;
            }

        StoreAside:
            // A store to RAM that the fast path declined (watched page, code page, page to fault
            // in, straddling pages): let the address space try it as a plain RAM store first.
            switch (mem.StoreAside(a, size, x[ip->Rs2]))
            {
                case AddressSpace.AsideStore.Done: ip++; continue;
                case AddressSpace.AsideStore.DoneEndBlock:
                    RemoveBudgetEnd();
                    ip++;
                    left -= ip - run;
                    Pc = _pageBase + (uint)((ip - _slots) << 2);
                    return Retire(slice - left);
                default: goto Slow;
            }

        Jump:
            // A taken branch or jump retires the run that ends with it. Branch targets were checked
            // for alignment at decode time, jalr targets above.
            left -= ip - run + 1;
            if (_budgetEnd != null) RemoveBudgetEnd();
            if (target - _pageBase < PhysicalMemory.PageSize)
            {
                ip = run = _slots + ((target - _pageBase) >> 2);
                if (left > 0)
                {
                    if (EnteredHotCode(ip)) goto Translated;
                    if (left < DecodedCode.SlotsPerPage) PlantBudgetEnd(ip, left);
                    continue;
                }
                Pc = target;
                return Retire(slice - left);
            }
        Enter:
            if (_budgetEnd != null) RemoveBudgetEnd();
            off = target - _ramBase;
            if (left > 0 && off < _ramSize && (_map[off >> PhysicalMemory.PageShift] & AddressSpace.Readable) != 0)
            {
                _pageBase = target & ~PageMask;
                _slots = mem.CodePage((int)(off >> PhysicalMemory.PageShift));
                ip = run = _slots + ((target & PageMask) >> 2);
                if (EnteredHotCode(ip)) goto Translated;
                if (left < DecodedCode.SlotsPerPage) PlantBudgetEnd(ip, left);
                continue;
            }
            // Budget spent, leaving RAM, or into a page not present: end the block here; the next
            // one's fetch faults or pages the target in.
            Pc = target;
            return Retire(slice - left);

        Translated:
            {
                // A jump into hot code (no sentinel planted, ip == run): run its translation, then
                // carry on from wherever it stopped. If it could not run even one block (too
                // little budget left, or a first instruction it leaves to the interpreter), the
                // interpreter takes this block.
                var (next, rest) = RunTranslation(ip, left);
                if (rest != left) { left = rest; target = next; goto Enter; }
                if (left < DecodedCode.SlotsPerPage) PlantBudgetEnd(ip, left);
                continue;
            }

        Slow:
            // This instruction has not run. Unless it is the first of the block, end the block just
            // before it, so that the slow path starts with exact counters.
            RemoveBudgetEnd();
            left -= ip - run;
            Pc = _pageBase + (uint)((ip - _slots) << 2);
            if (left != slice) return Retire(slice - left);
            return SlowStep();
        }
    }

    // The planted BudgetEnd sentinel, if any, and the slot it covers.
    private DecodedInstruction* _budgetEnd;
    private DecodedInstruction _budgetEndCovers;

    /// <summary>
    /// If a run starting at <paramref name="ip"/> with <paramref name="left"/> instructions of budget
    /// would spend it before the page ends, covers the slot where it runs out with a sentinel.
    /// </summary>
    private void PlantBudgetEnd(DecodedInstruction* ip, long left)
    {
        long slotsToPageEnd = _slots + DecodedCode.SlotsPerPage - ip;
        if (left >= slotsToPageEnd) return;
        _budgetEnd = ip + left;
        _budgetEndCovers = *_budgetEnd;
        _budgetEnd->Op = Op.BudgetEnd;
    }

    /// <summary>Puts back the slot under the sentinel. Done before anything that could drop the page's decoded code.</summary>
    private void RemoveBudgetEnd()
    {
        if (_budgetEnd == null) return;
        *_budgetEnd = _budgetEndCovers;
        _budgetEnd = null;
    }

    /// <summary>
    /// Counts one more jump into <paramref name="ip"/> and says whether translated code should run
    /// there: it already has a translation (or is known to have none: <see cref="DecodedInstruction.Cold"/>,
    /// which <see cref="RunTranslation"/> turns down at once), or it has just become hot.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool EnteredHotCode(DecodedInstruction* ip) => ip->Heat < 0 || ++ip->Heat == _translationThreshold;

    /// <summary>
    /// Runs the translation of the hot code at <paramref name="ip"/> (making it first if the code has
    /// just become hot) with <paramref name="left"/> instructions of budget. Returns where to go on and
    /// the budget left; the budget is unchanged if nothing ran.
    /// </summary>
    private (uint Next, long Left) RunTranslation(DecodedInstruction* ip, long left)
    {
        int page = (int)((_pageBase - _ramBase) >> PhysicalMemory.PageShift);
        var code = Memory.Code.TranslationAt(Memory, page, ip);
        if (code is null) return (0, left);
        long rest = left;
        uint next = code(_x, _ram, _map, _ramSize, &rest);
        return (next, rest);
    }

    // Per-block state of the fast path (see ExecuteBlock).
    private int _translationThreshold;
    private uint _ramBase, _ramSize, _pageBase;
    private uint* _map;
    private byte* _ram;
    private DecodedInstruction* _slots;

    private long Retire(long instructions)
    {
        Instret += (ulong)instructions;
        Cycle += (ulong)instructions;
        Retired += (ulong)instructions;
        return instructions;
    }
}
