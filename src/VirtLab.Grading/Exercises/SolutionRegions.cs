using System.Text;
using System.Text.RegularExpressions;

namespace VirtLab.Grading.Exercises;

/// <summary>
/// Solutions and instructor-only text inside an exercise's files, marked the way nbgrader marks them,
/// on comment lines of their own:
/// <code>
/// // BEGIN SOLUTION
/// ...the instructor's solution...
/// // END SOLUTION
/// </code>
/// The student version replaces a solution region with a stub at the marker's indentation: in C#
/// <c>// YOUR CODE HERE</c> and <c>throw new NotImplementedException();</c> (so put regions inside
/// method bodies: the stub must compile where it lands); in assembly a <c># YOUR CODE HERE</c>
/// comment; in other files nothing. <c>BEGIN HIDDEN TESTS</c> / <c>END HIDDEN TESTS</c> regions
/// (instructor notes, a hidden check) are removed without a stub. Any comment leader works:
/// <c>//</c>, <c>#</c>, <c>;</c>, <c>--</c>, <c>/*</c>, <c>&lt;!--</c>.
/// </summary>
public static partial class SolutionRegions
{
    /// <summary>The stub a C# solution region becomes.</summary>
    public static readonly IReadOnlyList<string> CSharpStub = ["// YOUR CODE HERE", "throw new NotImplementedException();"];

    [GeneratedRegex(@"^(?<indent>\s*)(//|#|;|--|/\*|<!--)\s*(?<edge>BEGIN|END) (?<kind>SOLUTION|HIDDEN TESTS)\b")]
    private static partial Regex Marker();

    /// <summary>Whether <paramref name="text"/> has any region marker.</summary>
    public static bool HasMarkers(string text) => SplitLines(text).Any(line => Marker().IsMatch(line));

    /// <summary>How many regions <paramref name="text"/> opens.</summary>
    public static int Count(string text) => SplitLines(text).Count(line => Marker().Match(line) is { Success: true } m && m.Groups["edge"].Value == "BEGIN");

    /// <summary>
    /// <paramref name="text"/> with every region replaced by its stub. <paramref name="fileName"/>
    /// chooses the stub (by extension) and names the file in errors: an <c>END</c> without a
    /// <c>BEGIN</c>, a region inside another, or one left open throw <see cref="ExerciseFormatException"/>
    /// with the line.
    /// </summary>
    public static string Strip(string text, string fileName)
    {
        string newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var output = new StringBuilder(text.Length);
        var lines = SplitLines(text);
        (int Line, string Kind)? open = null;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            var m = Marker().Match(line);
            bool last = i == lines.Count - 1;
            if (!m.Success)
            {
                if (open is null) { output.Append(line); if (!last) output.Append(newline); }
                continue;
            }
            string kind = m.Groups["kind"].Value;
            if (m.Groups["edge"].Value == "BEGIN")
            {
                if (open is not null) throw new ExerciseFormatException(fileName, $"line {i + 1}: BEGIN {kind} inside the {open.Value.Kind} region opened on line {open.Value.Line}");
                open = (i + 1, kind);
                if (kind == "SOLUTION")
                    foreach (var stub in StubFor(fileName)) output.Append(m.Groups["indent"].Value).Append(stub).Append(newline);
            }
            else
            {
                if (open is null) throw new ExerciseFormatException(fileName, $"line {i + 1}: END {kind} without a BEGIN {kind}");
                if (open.Value.Kind != kind) throw new ExerciseFormatException(fileName, $"line {i + 1}: END {kind} closes the {open.Value.Kind} region opened on line {open.Value.Line}");
                open = null;
            }
        }
        if (open is not null) throw new ExerciseFormatException(fileName, $"line {open.Value.Line}: BEGIN {open.Value.Kind} is never closed");
        return output.ToString();
    }

    private static IReadOnlyList<string> StubFor(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".cs" or ".csx" => CSharpStub,
        ".s" or ".asm" => ["# YOUR CODE HERE"],
        _ => [],
    };

    /// <summary>Lines without their terminators; a final newline gives a last empty line, so joining restores the text.</summary>
    private static List<string> SplitLines(string text) => [.. text.Replace("\r\n", "\n").Split('\n')];
}
