using System.Text.RegularExpressions;

namespace VirtLab.Notebooks;

/// <summary>A package named by <c>#r "nuget: Name, Version"</c>; a null version means "latest".</summary>
public sealed record PackageRequest(string Name, string? Version)
{
    /// <inheritdoc />
    public override string ToString() => Version is null ? Name : $"{Name}, {Version}";
}

/// <summary>
/// The directives of a cell that Roslyn itself does not understand and the runner handles first:
/// <c>#r "nuget: Name, Version"</c> (a package), <c>#i "nuget: source"</c> (a restore source) and
/// Polyglot magic commands (<c>#!time</c>, ...). <see cref="Code"/> is the cell with those lines
/// blanked out, so line numbers in compile errors still match the cell.
/// </summary>
internal sealed partial record PackageDirectives(string Code, IReadOnlyList<PackageRequest> Packages, IReadOnlyList<string> Sources)
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<name>[^,"]+?)\s*(,\s*(?<version>[^"]*?)\s*)?"\s*$""")]
    private static partial Regex PackageLine();

    [GeneratedRegex("""^\s*#i\s+"nuget:\s*(?<source>[^"]+?)\s*"\s*$""")]
    private static partial Regex SourceLine();

    public static PackageDirectives Extract(string cellSource)
    {
        var packages = new List<PackageRequest>();
        var sources = new List<string>();
        var lines = cellSource.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (PackageLine().Match(line) is { Success: true } package)
            {
                var version = package.Groups["version"].Value;
                packages.Add(new PackageRequest(package.Groups["name"].Value, version.Length == 0 ? null : version));
                lines[i] = "";
            }
            else if (SourceLine().Match(line) is { Success: true } source)
            {
                sources.Add(source.Groups["source"].Value);
                lines[i] = "";
            }
            else if (line.TrimStart().StartsWith("#!"))
            {
                lines[i] = ""; // a Polyglot magic command such as #!time: nothing to do here
            }
        }
        return new PackageDirectives(string.Join('\n', lines), packages, sources);
    }
}
