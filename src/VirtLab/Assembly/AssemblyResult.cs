using VirtLab.Programs;

namespace VirtLab.Assembly;

/// <summary>One instruction word of an assembled program with the source line it came from.</summary>
/// <param name="Section">The section holding it.</param>
/// <param name="Address">Its address.</param>
/// <param name="Word">The encoded instruction.</param>
/// <param name="Line">1-based source line.</param>
/// <param name="Source">The text of that line (a pseudo-instruction gives several entries with the same line).</param>
public sealed record ListingEntry(string Section, uint Address, uint Word, int Line, string Source)
{
    /// <summary>Formats the entry like an assembler listing: <c>80000000  00a00513  li a0, 10</c>.</summary>
    public override string ToString() => $"{Address:x8}  {Word:x8}  {Source}";
}

/// <summary>
/// What <see cref="Assembler.Assemble"/> produced: a program when there were no errors, and every error otherwise.
/// </summary>
public sealed class AssemblyResult
{
    internal AssemblyResult(ProgramImage? program, IReadOnlyList<AssemblyDiagnostic> diagnostics, IReadOnlyList<ListingEntry> listing)
    {
        Program = program;
        Diagnostics = diagnostics;
        Listing = listing;
    }

    /// <summary>True when there were no errors and <see cref="Program"/> is set.</summary>
    public bool Success => Program is not null && Diagnostics.Count == 0;

    /// <summary>The assembled program, or null if there were errors.</summary>
    public ProgramImage? Program { get; }

    /// <summary>All errors, in source order.</summary>
    public IReadOnlyList<AssemblyDiagnostic> Diagnostics { get; }

    /// <summary>Address, word and source line of every instruction (empty when there were errors).</summary>
    public IReadOnlyList<ListingEntry> Listing { get; }

    /// <summary>The listing as text, one instruction per line.</summary>
    public string ListingText() => string.Join(Environment.NewLine, Listing.Select(l => l.ToString()));

    /// <summary>All errors as text, one per line, in the <c>file:line:column: error: message</c> form compilers use.</summary>
    public string DiagnosticsText() => string.Join(Environment.NewLine, Diagnostics.Select(d => d.ToString()));
}
