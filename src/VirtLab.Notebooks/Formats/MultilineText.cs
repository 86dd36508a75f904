using System.Text.Json.Nodes;

namespace VirtLab.Notebooks;

/// <summary>
/// nbformat stores multi-line text either as one string or as an array of lines, each line
/// keeping its trailing <c>\n</c>. VS Code writes arrays; both are read.
/// </summary>
internal static class MultilineText
{
    public static string Read(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(line => line?.GetValue<string>() ?? "")),
        _ => node.GetValue<string>(),
    };

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
