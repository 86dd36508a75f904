namespace VirtLab.Machine;

public sealed unsafe partial class Hart
{
    private const uint PageMask = PhysicalMemory.PageOffsetMask;

    /// <summary>
    /// The hot loop. Runs at most <paramref name="slice"/> instructions from pre-decoded slots,
    /// walking them by pointer: a sequential instruction is <c>ip++</c>, and the PC is worked out
    /// only when the block ends. Ops the fast path does not handle, and loads or stores that are
    /// not plain RAM accesses inside one page, go to <see cref="SlowStep"/>: if such an
    /// instruction is not the first of the block, the block ends just before it, so the slow path
    /// always starts with exact counters and a fresh interrupt check.
    /// Returns the instructions retired.
    /// </summary>
    private long ExecuteBlock(long slice)
    {
        AddressSpace mem = Memory;
        uint ramBase = mem.RamBase, ramSize = mem.RamSize;
        uint* map = mem.PageMap;
        byte* ram = mem.Host.Base;
        uint* x = _x;

        uint pc = Pc;
        uint off = pc - ramBase;
        if (off >= ramSize || (pc & 3) != 0 || (map[off >> PhysicalMemory.PageShift] & AddressSpace.Readable) == 0)
            return SlowStep();   // fetch fault, misaligned pc, or a page to fault in

        uint pageBase = pc & ~PageMask;
        DecodedInstruction* slots = mem.CodePage((int)(off >> PhysicalMemory.PageShift));
        DecodedInstruction* ip = slots + ((pc & PageMask) >> 2);
        long left = slice;
        uint target, a, o, e;

        while (left > 0)
        {
            left--;
            switch (ip->Op)
            {
                case Op.Undecoded:
                {
                    uint at = pageBase + (uint)((ip - slots) << 2);
                    e = map[(at - ramBase) >> PhysicalMemory.PageShift];
                    *ip = Decoder.Decode(*(uint*)(ram + (e & AddressSpace.FrameMask) + (at & PageMask)), at);
                    left++;
                    continue;
                }
                case Op.PageEnd: left++; target = pageBase + PhysicalMemory.PageSize; goto Jump;
                case Op.Slow: goto Slow;

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
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - ramBase;
                    if (o < ramSize && ((e = map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = (uint)*(sbyte*)(ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Lbu:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - ramBase;
                    if (o < ramSize && ((e = map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = *(ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Lh:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - ramBase;
                    if (o < ramSize && (o & PageMask) <= PageMask - 1 && ((e = map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = (uint)*(short*)(ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Lhu:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - ramBase;
                    if (o < ramSize && (o & PageMask) <= PageMask - 1 && ((e = map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = *(ushort*)(ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Lw:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - ramBase;
                    if (o < ramSize && (o & PageMask) <= PageMask - 3 && ((e = map[o >> PhysicalMemory.PageShift]) & AddressSpace.Readable) != 0)
                    { x[ip->Rd] = *(uint*)(ram + (e & AddressSpace.FrameMask) + (o & PageMask)); ip++; continue; }
                    goto Slow;
                case Op.Sb:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - ramBase;
                    if (o < ramSize && ((e = map[o >> PhysicalMemory.PageShift]) & AddressSpace.FastWrite) != 0)
                    { *(ram + (e & AddressSpace.FrameMask) + (o & PageMask)) = (byte)x[ip->Rs2]; ip++; continue; }
                    goto Slow;
                case Op.Sh:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - ramBase;
                    if (o < ramSize && (o & PageMask) <= PageMask - 1 && ((e = map[o >> PhysicalMemory.PageShift]) & AddressSpace.FastWrite) != 0)
                    { *(ushort*)(ram + (e & AddressSpace.FrameMask) + (o & PageMask)) = (ushort)x[ip->Rs2]; ip++; continue; }
                    goto Slow;
                case Op.Sw:
                    a = x[ip->Rs1] + (uint)ip->Imm; o = a - ramBase;
                    if (o < ramSize && (o & PageMask) <= PageMask - 3 && ((e = map[o >> PhysicalMemory.PageShift]) & AddressSpace.FastWrite) != 0)
                    { *(uint*)(ram + (e & AddressSpace.FrameMask) + (o & PageMask)) = x[ip->Rs2]; ip++; continue; }
                    goto Slow;

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

        Jump:
            // Branch targets were checked for alignment at decode time, jalr targets above.
            if (target - pageBase < PhysicalMemory.PageSize) { ip = slots + ((target - pageBase) >> 2); continue; }
            off = target - ramBase;
            if (off < ramSize && (map[off >> PhysicalMemory.PageShift] & AddressSpace.Readable) != 0)
            {
                pageBase = target & ~PageMask;
                slots = mem.CodePage((int)(off >> PhysicalMemory.PageShift));
                ip = slots + ((target & PageMask) >> 2);
                continue;
            }
            // Leaving RAM, or into a page not present: end the block; the next one's fetch faults or pages it in.
            Pc = target;
            return Retire(slice - left);

        Slow:
            left++;   // this instruction has not run
            Pc = pageBase + (uint)((ip - slots) << 2);
            if (left != slice) return Retire(slice - left);   // end the block just before it
            return SlowStep();
        }

        Pc = pageBase + (uint)((ip - slots) << 2);
        return Retire(slice);
    }

    private long Retire(long instructions)
    {
        Instret += (ulong)instructions;
        Cycle += (ulong)instructions;
        return instructions;
    }
}
