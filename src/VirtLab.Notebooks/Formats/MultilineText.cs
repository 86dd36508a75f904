using System.Text.Json.Nodes;

namespace VirtLab.Notebooks;

/// <summary>
/// nbformat stores multi-line text either as one string or as an array of lines, each line
/// keeping its trailing <c>\n</c>. VS Code writes arrays; both are read.
/// </summary>
internal static class MultilineText
{
    /// <summary>The text of <paramref name="node"/>; <see cref="FormatException"/> if it is neither a string nor a list of strings.</summary>
    public static string Read(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines when lines.All(IsString) => string.Concat(lines.Select(line => line?.GetValue<string>() ?? "")),
        JsonValue value when IsString(value) => value.GetValue<string>(),
        _ => throw new FormatException($"{node.GetPath()}: expected a string or a list of strings"),
    };

    private static bool IsString(JsonNode? node) => node is null || (node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String);

    public static JsonArray Write(string text)
    {
        var array = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            array.Add(text[start..end]);
            start = end;
        }
        return array;
    }
}
