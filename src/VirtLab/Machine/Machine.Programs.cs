using VirtLab.Programs;

namespace VirtLab.Machine;

public sealed partial class Machine
{
    /// <summary>
    /// Loads a program: copies every segment into RAM (zero-filling past its bytes up to its memory
    /// size, for .bss), points every hart at the entry, and connects HTIF if the program has a
    /// <c>tohost</c> symbol, so that a test written for Spike or QEMU's spike machine runs unchanged.
    /// Returns an error message naming the segment (for an ELF file with section headers, the
    /// section) that does not fit in RAM, or null on success; nothing runs then.
    /// </summary>
    public string? Load(ProgramImage program)
    {
        ArgumentNullException.ThrowIfNull(program);
        ulong ramEnd = (ulong)MachineConfig.RamBase + Config.RamSize;
        foreach (var segment in program.Segments)
        {
            if (segment.Address < MachineConfig.RamBase || segment.EndAddress > ramEnd)
                return $"{segment.Name} (0x{segment.Address:x8}..0x{segment.EndAddress:x8}) lies outside RAM 0x{MachineConfig.RamBase:x8}..0x{ramEnd:x8}";
        }
        foreach (var segment in program.Segments)
        {
            var bytes = new byte[segment.MemorySize];
            segment.Bytes.CopyTo(bytes, 0);
            if (LoadBytes(segment.Address, bytes) is string problem) return $"{segment.Name}: {problem}";
        }
        SetEntry(program.Entry);
        if (program.TryGetSymbol("tohost", out uint tohost))
            ConnectHtif(tohost, program.TryGetSymbol("fromhost", out uint fromhost) ? fromhost : null);
        return null;
    }
}
