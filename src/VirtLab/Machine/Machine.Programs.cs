using VirtLab.Programs;

namespace VirtLab.Machine;

public sealed partial class Machine
{
    /// <summary>
    /// Loads a program: copies every segment into RAM (zero-filling past its bytes up to its memory
    /// size, for .bss), points every hart at the entry, and connects HTIF if the program has a
    /// <c>tohost</c> symbol, so that a test written for Spike or QEMU's spike machine runs unchanged.
    /// Returns an error message naming the segment if the program does not fit, null on success.
    /// </summary>
    public string? Load(ProgramImage program)
    {
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
