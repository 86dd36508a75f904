using System.Text;
using VirtLab.Assembly;
using VirtLab.Programs;

namespace VirtLab.Interactive;

/// <summary>
/// A program listing for a notebook: address, instruction word, disassembly and (for assembled
/// programs) the source line, with the row at <see cref="Pc"/> marked. Displaying an
/// <see cref="AssemblyResult"/> or a <see cref="ProgramImage"/> shows one of these without a PC;
/// <c>ProgramListing.Of(result, hart.Pc)</c> marks where a hart is.
/// </summary>
public sealed class ProgramListing
{
    private ProgramListing(IReadOnlyList<ListingRow> rows, uint? pc, IReadOnlyList<AssemblyDiagnostic> diagnostics)
    {
        Rows = rows;
        Pc = pc;
        Diagnostics = diagnostics;
    }

    /// <summary>One row of a listing.</summary>
    public sealed record ListingRow(uint Address, uint Word, string Disassembly, string? Source, string? Label);

    /// <summary>The rows, in address order.</summary>
    public IReadOnlyList<ListingRow> Rows { get; }

    /// <summary>The address to mark, or null.</summary>
    public uint? Pc { get; }

    /// <summary>Assembler errors (a failed assembly lists only these).</summary>
    public IReadOnlyList<AssemblyDiagnostic> Diagnostics { get; }

    /// <summary>The listing of an assembled program, using <see cref="AssemblyResult.Listing"/> for the source lines.</summary>
    public static ProgramListing Of(AssemblyResult result, uint? pc = null)
    {
        var labels = Labels(result.Program);
        var rows = result.Listing
            .Select(e => new ListingRow(e.Address, e.Word, Disassembler.Disassemble(e.Word, e.Address), e.Source.Trim(), labels.GetValueOrDefault(e.Address)))
            .ToList();
        return new ProgramListing(rows, pc, result.Diagnostics);
    }

    /// <summary>The listing of a program image (an ELF file, say): its executable segments disassembled word by word.</summary>
    public static ProgramListing Of(ProgramImage program, uint? pc = null)
    {
        var labels = Labels(program);
        var rows = new List<ListingRow>();
        foreach (var segment in program.Segments.Where(s => s.Executable))
        {
            for (int offset = 0; offset + 4 <= segment.Bytes.Length; offset += 4)
            {
                uint address = segment.Address + (uint)offset, word = BitConverter.ToUInt32(segment.Bytes, offset);
                rows.Add(new ListingRow(address, word, Disassembler.Disassemble(word, address), null, labels.GetValueOrDefault(address)));
            }
        }
        return new ProgramListing(rows, pc, []);
    }

    private static Dictionary<uint, string> Labels(ProgramImage? program) =>
        program is null ? [] : program.Symbols.GroupBy(s => s.Value).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(s => s.Key).Order(StringComparer.Ordinal)));

    /// <summary>The listing as HTML; the row at <see cref="Pc"/> has the class <c>pc-row</c> and an arrow.</summary>
    public string ToHtml()
    {
        var html = Html.Open("listing");
        if (Diagnostics.Count > 0)
        {
            html.Append("<div class=\"caption bad\">").Append(Diagnostics.Count).Append(Diagnostics.Count == 1 ? " error" : " errors").Append("</div><pre class=\"mono\">");
            foreach (var diagnostic in Diagnostics) html.Append(Html.Encode(diagnostic.ToString())).Append('\n');
            html.Append("</pre>");
        }
        bool hasSource = Rows.Any(r => r.Source is not null);
        html.Append("<table class=\"mono\"><thead><tr><th></th><th>address</th><th>word</th><th>instruction</th>")
            .Append(hasSource ? "<th>source</th>" : "").Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            if (row.Label is not null)
                html.Append("<tr><td></td><td colspan=\"").Append(hasSource ? 4 : 3).Append("\" class=\"muted\">").Append(Html.Encode(row.Label)).Append(":</td></tr>");
            bool atPc = Pc == row.Address;
            html.Append(atPc ? "<tr class=\"pc-row\"><td title=\"pc\">&rarr;</td>" : "<tr><td></td>")
                .Append("<td>").Append(row.Address.ToString("x8")).Append("</td>")
                .Append("<td>").Append(row.Word.ToString("x8")).Append("</td>")
                .Append("<td>").Append(Html.Encode(row.Disassembly)).Append("</td>");
            if (hasSource) html.Append("<td class=\"muted\">").Append(Html.Encode(row.Source ?? "")).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var row in Rows)
        {
            if (row.Label is not null) text.Append(row.Label).AppendLine(":");
            text.Append(Pc == row.Address ? "-> " : "   ").Append(row.Address.ToString("x8")).Append("  ").Append(row.Word.ToString("x8")).Append("  ").AppendLine(row.Disassembly);
        }
        return text.ToString();
    }
}
