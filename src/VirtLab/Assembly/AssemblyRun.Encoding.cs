using System.Buffers.Binary;
using VirtLab.Machine;
using static VirtLab.Machine.InstructionEncoding;

namespace VirtLab.Assembly;

/// <summary>Pass 2: with every address known, evaluate operands and write the bytes of each section.</summary>
internal sealed partial class AssemblyRun
{
    private static readonly uint Nop = EncodeI(InstructionSet.Get("addi"), rd: 0, rs1: 0, imm12: 0);   // nop is addi zero, zero, 0
    private const ushort CompressedNop = 0x0001;   // c.nop, used by GNU as only as alignment filler

    private readonly Dictionary<(Section, uint), uint> _encodedWords = [];

    /// <summary>auipc instructions carrying %pcrel_hi, by address: %pcrel_lo(label) finds its partner here.</summary>
    private readonly Dictionary<uint, Immediate> _pcrelHiByAddress = [];

    private Dictionary<Section, byte[]> EncodeSections()
    {
        foreach (var section in _sections.Values)
            foreach (var fragment in section.Fragments.OfType<InstructionFragment>())
                if (fragment.Instruction.Immediate is { Kind: ImmediateKind.PcrelHi } hi)
                    _pcrelHiByAddress[section.Base + fragment.Offset] = hi;

        var contents = new Dictionary<Section, byte[]>();
        foreach (var section in _sections.Values)
        {
            var bytes = section.NoBits ? [] : new byte[section.Size];
            foreach (var fragment in section.Fragments)
            {
                _currentAddress = section.Base + fragment.Offset;
                if (section.NoBits) continue;
                var target = bytes.AsSpan((int)fragment.Offset, (int)fragment.Size);
                switch (fragment)
                {
                    case InstructionFragment instruction:
                        uint word = Encode(instruction.Instruction, _currentAddress, section);
                        _encodedWords[(section, fragment.Offset)] = word;
                        BinaryPrimitives.WriteUInt32LittleEndian(target, word);
                        break;
                    case DataFragment data:
                        WriteData(data, target);
                        break;
                    case BytesFragment literal:
                        literal.Bytes.CopyTo(target);
                        break;
                    case FillFragment fill:
                        WriteFill(fill, target);
                        break;
                }
            }
            contents[section] = bytes;
        }
        return contents;
    }

    /// <summary>
    /// Padding in code, byte for byte what GNU as writes: one zero byte if the length is odd (no instruction
    /// can start there anyway), then one 2-byte <c>c.nop</c> (0x0001) if needed to reach a 4-byte boundary,
    /// then 4-byte nops. The odd bytes sit after data placed in .text, so they are never executed.
    /// </summary>
    private static void WriteFill(FillFragment fill, Span<byte> target)
    {
        target.Fill(fill.Fill);
        if (!fill.CodePadding) return;
        int i = 0;
        if (target.Length % 2 == 1) target[i++] = 0;
        if ((target.Length - i) % 4 == 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(target[i..], CompressedNop);
            i += 2;
        }
        for (; i + 4 <= target.Length; i += 4)
            BinaryPrimitives.WriteUInt32LittleEndian(target[i..], Nop);
    }

    private void WriteData(DataFragment data, Span<byte> target)
    {
        for (int i = 0; i < data.Values.Count; i++)
        {
            var expression = data.Values[i];
            var result = Evaluate(expression);
            if (!Succeeded(result, expression)) continue;
            long value = result.Value;
            int bits = data.Width * 8;
            if (bits < 64 && (value < -(1L << (bits - 1)) || value >= 1L << bits))
            {
                Report(expression.At, $"value {value} does not fit in {data.Width} byte{(data.Width == 1 ? "" : "s")}");
                continue;
            }
            for (int b = 0; b < data.Width; b++)
                target[i * data.Width + b] = (byte)(value >> (8 * b));
        }
    }

    private bool Succeeded(Evaluation result, Expression expression)
    {
        if (result.Error is not null)
        {
            Report(result.ErrorAt ?? expression.At, result.Error);
            return false;
        }
        if (!result.Known)
        {
            Report(expression.At, "expression cannot be evaluated");
            return false;
        }
        return true;
    }

    private uint Encode(MachineInstruction instruction, uint pc, Section section)
    {
        var d = instruction.Definition;
        var (rd, rs1, rs2) = (instruction.Rd, instruction.Rs1, instruction.Rs2);
        switch (d.Format)
        {
            case InstructionFormat.R:
                return EncodeR(d, rd, rs1, rs2);
            case InstructionFormat.I or InstructionFormat.Load or InstructionFormat.Jalr or InstructionFormat.Fence:
                return EncodeI(d, rd, rs1, Low12(instruction.Immediate, pc, section, bits: 12));
            case InstructionFormat.Shift:
                return EncodeI(d, rd, rs1, (int)Unsigned(instruction.Immediate, 5));
            case InstructionFormat.S:
                return EncodeS(d, rs1, rs2, Low12(instruction.Immediate, pc, section, bits: 12));
            case InstructionFormat.B:
                return EncodeB(d, rs1, rs2, Offset(instruction.Immediate, pc, 13, "branch"));
            case InstructionFormat.J:
                return EncodeJ(d, rd, Offset(instruction.Immediate, pc, 21, "jump"));
            case InstructionFormat.U:
                return EncodeU(d, rd, Upper20(instruction.Immediate, pc));
            case InstructionFormat.Csr:
                return EncodeI(d, rd, rs1, instruction.Csr);
            case InstructionFormat.CsrImmediate:
                return EncodeI(d, rd, (int)Unsigned(instruction.Immediate, 5), instruction.Csr);
            default:
                return d.Match;
        }
    }

    /// <summary>A 12-bit signed immediate: a plain value, or the low part from %lo / %pcrel_lo.</summary>
    private int Low12(Immediate? immediate, uint pc, Section section, int bits)
    {
        if (immediate is null) return 0;
        var result = Evaluate(immediate.Value);
        if (!Succeeded(result, immediate.Value)) return 0;
        long value = result.Value;
        switch (immediate.Kind)
        {
            case ImmediateKind.Lo:
                return SignExtend12(value);
            case ImmediateKind.PcrelLoFromAnchor:
                return SignExtend12(value - (section.Base + immediate.AnchorOffset));
            case ImmediateKind.PcrelLo:
            {
                // %pcrel_lo(label): label marks an auipc; use the offset that auipc computed for its own %pcrel_hi.
                uint auipcAddress = (uint)value;
                if (!_pcrelHiByAddress.TryGetValue(auipcAddress, out var hi))
                {
                    Report(immediate.At, $"%pcrel_lo: no auipc with %pcrel_hi at 0x{auipcAddress:x}");
                    return 0;
                }
                var target = Evaluate(hi.Value);
                return target.Known ? SignExtend12(target.Value - auipcAddress) : 0;
            }
            default:
                if (!FitsSigned(value, bits))
                {
                    Report(immediate.At, $"immediate {value} does not fit in {bits} bits");
                    return 0;
                }
                return (int)value;
        }
    }

    /// <summary>An unsigned immediate of the given width (shift amounts, CSR immediates).</summary>
    private uint Unsigned(Immediate? immediate, int bits)
    {
        if (immediate is null) return 0;
        var result = Evaluate(immediate.Value);
        if (!Succeeded(result, immediate.Value)) return 0;
        if (!FitsUnsigned(result.Value, bits))
        {
            Report(immediate.At, $"immediate {result.Value} does not fit in {bits} bits (0..{(1 << bits) - 1})");
            return 0;
        }
        return (uint)result.Value;
    }

    /// <summary>The 20-bit immediate of lui/auipc: a plain value 0..0xFFFFF, %hi(x), or %pcrel_hi(x).</summary>
    private uint Upper20(Immediate? immediate, uint pc)
    {
        if (immediate is null) return 0;
        var result = Evaluate(immediate.Value);
        if (!Succeeded(result, immediate.Value)) return 0;
        long value = result.Value;
        switch (immediate.Kind)
        {
            case ImmediateKind.Hi:
                return High20(value);
            case ImmediateKind.PcrelHi:
                return High20(value - pc);
            default:
                if (!FitsUnsigned(value, 20))
                {
                    Report(immediate.At, $"immediate {value} does not fit in 20 bits (0..0xfffff)");
                    return 0;
                }
                return (uint)value;
        }
    }

    /// <summary>The upper 20 bits, rounded up when bit 11 is set because the low 12 bits will be added sign-extended.</summary>
    private static uint High20(long value) => (uint)((value + 0x800) >> 12) & 0xF_FFFF;

    /// <summary>The pc-relative offset to a branch or jump target, checked for range and 2-byte alignment.</summary>
    private int Offset(Immediate? immediate, uint pc, int bits, string kind)
    {
        if (immediate is null) return 0;
        var result = Evaluate(immediate.Value);
        if (!Succeeded(result, immediate.Value)) return 0;
        // Addresses wrap around in RV32 (pc + offset is computed modulo 2^32), so a jump from near 0
        // to near 0xffffffff goes backwards, as GNU ld computes it too.
        long offset = (int)((uint)result.Value - pc);
        if (!FitsSigned(offset, bits))
        {
            Report(immediate.At, $"{kind} target out of range");
            return 0;
        }
        if ((offset & 1) != 0)
        {
            Report(immediate.At, $"{kind} target 0x{(uint)result.Value:x} is not a multiple of 2");
            return 0;
        }
        return (int)offset;
    }
}
