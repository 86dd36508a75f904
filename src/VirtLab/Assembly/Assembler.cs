namespace VirtLab.Assembly;

/// <summary>
/// A two-pass assembler for RV32IM + Zicsr + Zifencei that accepts the GNU as dialect.
/// </summary>
/// <remarks>
/// <para>Pass 1 reads the source statement by statement. Every instruction has a known size (4 bytes,
/// or a known number of words for pseudo-instructions), so the offset of every label in its section is
/// known by the end of the pass, even for labels used before they are defined (forward references).</para>
/// <para>Between the passes the sections are placed in memory, which turns every label into an address.</para>
/// <para>Pass 2 evaluates the operands and encodes the instructions and data.</para>
/// <para>Errors do not stop the assembler: all of them are collected and returned together, and it never throws.</para>
/// </remarks>
public static class Assembler
{
    /// <summary>Assembles <paramref name="source"/> into a program.</summary>
    /// <param name="source">The assembly text.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="options">Where to place the sections; defaults to .text at 0x8000_0000.</param>
    public static AssemblyResult Assemble(string source, string fileName = "<input>", AssemblerOptions? options = null)
    {
        source ??= "";
        fileName ??= "<input>";
        try
        {
            return new AssemblyRun(source, fileName, options ?? new AssemblerOptions()).Run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in the assembler must not take down a notebook; report it like any other error.
            return new AssemblyResult(null, [new AssemblyDiagnostic(fileName, 1, 1, $"internal assembler error: {e.Message}")], []);
        }
    }
}
