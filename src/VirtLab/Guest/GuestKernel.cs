using System.Text.RegularExpressions;
using VirtLab.Assembly;
using VirtLab.Programs;

namespace VirtLab.Guest;

/// <summary>
/// The guest kernel shipped with VirtLab: <c>GuestKernel.s</c>, embedded in the library as
/// readable source and assembled by VirtLab's own assembler the first time it is needed.
/// </summary>
/// <remarks>
/// Some of its routines are replaceable (<see cref="ReplaceableRoutines"/>): <see cref="Assemble"/>
/// builds the kernel with other source in their place, such as a student's balloon driver routine,
/// and a VM boots that image with <c>Host.CreateVm(config, image)</c>. The kernel source documents
/// each routine's calling convention next to it.
/// </remarks>
public static partial class GuestKernel
{
    /// <summary>The name the kernel's own source has in error messages.</summary>
    public const string FileName = "GuestKernel.s";

    /// <summary>Most vCPUs the kernel has per-hart slots for.</summary>
    public const int MaxHarts = 8;

    private static readonly Lazy<string> _source = new(() =>
    {
        using var stream = typeof(GuestKernel).Assembly.GetManifestResourceStream("VirtLab.Guest.GuestKernel.s")
            ?? throw new InvalidOperationException("the guest kernel source is missing from the VirtLab assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static readonly Lazy<ProgramImage> _image = new(() =>
    {
        var result = Assembler.Assemble(Source, FileName);
        if (!result.Success) throw new InvalidOperationException("the guest kernel does not assemble:\n" + result.DiagnosticsText());
        return result.Program!;
    });

    /// <summary>The kernel's assembly source.</summary>
    public static string Source => _source.Value;

    /// <summary>The assembled kernel.</summary>
    public static ProgramImage Image => _image.Value;

    /// <summary>Address of a symbol of the kernel (params, progress, ticks, ...).</summary>
    public static uint Symbol(string name) =>
        Image.TryGetSymbol(name, out uint address) ? address : throw new KeyNotFoundException($"guest kernel has no symbol '{name}'");

    /// <summary>
    /// The routines <see cref="Assemble"/> can replace, in the order the kernel source has them
    /// (today <c>balloon_inflate</c> and <c>balloon_deflate</c>). In the source each one lies
    /// between the comment lines <c># BEGIN REPLACEABLE name</c> and <c># END REPLACEABLE name</c>.
    /// </summary>
    public static IReadOnlyList<string> ReplaceableRoutines => _routines.Value.Keys.ToList();

    /// <summary>
    /// The kernel's own version of a replaceable routine: its lines between the markers, with the
    /// comment that gives its calling convention. Given back to <see cref="Assemble"/> as a
    /// replacement, it builds the shipped kernel byte for byte.
    /// </summary>
    /// <exception cref="ArgumentException">The kernel has no replaceable routine of that name.</exception>
    public static string RoutineSource(string routine)
    {
        var (begin, end) = Region(routine);
        return string.Join('\n', SourceLines[(begin + 1)..end]);
    }

    /// <summary>
    /// Assembles the kernel with the lines of each replaced routine (between its markers) swapped
    /// for the replacement's source. With no replacements this is the shipped kernel.
    /// </summary>
    /// <returns>
    /// The result: <see cref="AssemblyResult.Program"/> when everything assembled. Otherwise every
    /// error, each at the <c>file:line:column</c> it is in (a replacement's own file and line, or
    /// <see cref="FileName"/>'s), including a replacement that does not define its routine's label.
    /// </returns>
    /// <exception cref="ArgumentException">A replacement names a routine that is not replaceable, or two replace the same one.</exception>
    public static AssemblyResult Assemble(params IEnumerable<RoutineReplacement> replacements)
    {
        ArgumentNullException.ThrowIfNull(replacements);
        var byBegin = new SortedDictionary<int, (RoutineReplacement Replacement, int End)>();
        foreach (var replacement in replacements)
        {
            ArgumentNullException.ThrowIfNull(replacement, nameof(replacements));
            var (begin, end) = Region(replacement.Routine);
            if (!byBegin.TryAdd(begin, (replacement, end)))
                throw new ArgumentException($"two replacements for the kernel routine '{replacement.Routine}'", nameof(replacements));
        }
        if (byBegin.Count == 0) return Assembler.Assemble(Source, FileName);

        // The combined text, as runs of lines from the kernel or from a replacement.
        var lines = new List<string>();
        var runs = new List<(int First, int Count, string File, int FileFirst)>();   // 1-based lines
        void Append(IReadOnlyList<string> from, int start, int count, string file)
        {
            runs.Add((lines.Count + 1, count, file, start + 1));
            for (int i = start; i < start + count; i++) lines.Add(from[i]);
        }
        int next = 0;
        foreach (var (begin, (replacement, end)) in byBegin)
        {
            Append(SourceLines, next, begin + 1 - next, FileName);                   // up to the BEGIN marker
            string[] own = (replacement.Source ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            Append(own, 0, own.Length, replacement.FileName);
            next = end;
        }
        Append(SourceLines, next, SourceLines.Length - next, FileName);
        // A replacement may leave .text for data of its own; the kernel's code after it must not follow it there.
        foreach (var (first, count, file, fileFirst) in runs)
            if (file == FileName && fileFirst > 1 && Marker().Match(lines[first - 1]) is { Success: true, Groups: var g } && g[1].Value == "END")
                lines[first - 1] = "    .text                               " + lines[first - 1].Trim();

        var result = Assembler.Assemble(string.Join('\n', lines), FileName);
        if (result.Success) return result;

        (string File, int Line) Locate(int line)
        {
            foreach (var (first, count, file, fileFirst) in runs)
                if (line >= first && line < first + count) return (file, fileFirst + line - first);
            return (FileName, line);
        }
        var diagnostics = new List<AssemblyDiagnostic>();
        foreach (var d in result.Diagnostics)
        {
            var (file, line) = Locate(d.Line);
            // "already defined (at line N)" names a line of the combined text: name its file too.
            string message = LineReference().Replace(d.Message, m =>
            {
                var (otherFile, otherLine) = Locate(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                return $"at {otherFile}:{otherLine}";
            });
            diagnostics.Add(new AssemblyDiagnostic(file, line, d.Column, message));
        }
        foreach (var (replacement, _) in byBegin.Values)
        {
            // Without the label the kernel's calls to the routine are undefined: say so once, at the replacement.
            string undefined = $"undefined symbol '{replacement.Routine}'";
            if (diagnostics.RemoveAll(d => d.File == FileName && d.Message == undefined) > 0)
                diagnostics.Add(new AssemblyDiagnostic(replacement.FileName, 1, 1,
                    $"defines no label '{replacement.Routine}:'; the kernel calls the routine by that name"));
        }
        // The replacements' errors first: the kernel's, if any, follow from them.
        return new AssemblyResult(null, [.. diagnostics.OrderBy(d => d.File == FileName).ThenBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line)], []);
    }

    private static readonly Lazy<string[]> _sourceLines = new(() => Source.Split('\n'));

    private static string[] SourceLines => _sourceLines.Value;

    /// <summary>Each replaceable routine's marker lines (0-based indexes into <see cref="SourceLines"/>).</summary>
    private static readonly Lazy<Dictionary<string, (int Begin, int End)>> _routines = new(() =>
    {
        var routines = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < SourceLines.Length; i++)
        {
            var marker = Marker().Match(SourceLines[i]);
            if (!marker.Success) continue;
            string name = marker.Groups[2].Value;
            if (marker.Groups[1].Value == "BEGIN") open[name] = i;
            else if (open.Remove(name, out int begin)) routines[name] = (begin, i);
            else throw new InvalidOperationException($"{FileName}:{i + 1}: END REPLACEABLE {name} without its BEGIN");
        }
        if (open.Count > 0) throw new InvalidOperationException($"{FileName}: BEGIN REPLACEABLE {open.Keys.First()} without its END");
        return routines;
    });

    private static (int Begin, int End) Region(string routine) =>
        _routines.Value.TryGetValue(routine ?? "", out var region) ? region
            : throw new ArgumentException($"the guest kernel has no replaceable routine '{routine}' (replaceable: {string.Join(", ", ReplaceableRoutines)})", nameof(routine));

    [GeneratedRegex(@"^\s*#\s*(BEGIN|END) REPLACEABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s*$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"at line (\d+)")]
    private static partial Regex LineReference();
}
