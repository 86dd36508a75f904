using System.Text.Json.Nodes;

namespace VirtLab.Notebooks;

/// <summary>
/// Reads Polyglot's .dib text format. A line <c>#!name</c> that names a kernel starts a new
/// cell; <c>#!meta</c> starts the notebook's JSON metadata; other <c>#!</c> lines (magic commands
/// such as <c>#!time</c>) stay inside the cell. Blank lines around a cell are trimmed.
/// </summary>
internal static class DibFormat
{
    public static NotebookDocument Parse(string text, string? path)
    {
        var metadata = new JsonObject();
        var cells = new List<NotebookCell>();
        string? kernel = null;
        var lines = new List<string>();

        void Flush()
        {
            if (kernel is null) return;
            var source = string.Join('\n', TrimBlankLines(lines));
            if (kernel == "meta")
            {
                JsonNode? meta;
                try
                {
                    meta = source.Length > 0 ? JsonNode.Parse(source) : null;
                }
                catch (System.Text.Json.JsonException error)
                {
                    throw new NotebookFormatException(path, "the #!meta block is not valid JSON: " + error.Message.Split(" Path: ")[0], inner: error);
                }
                if (meta is JsonObject kernelInfo) metadata["polyglot_notebook"] = kernelInfo;
            }
            else
            {
                var kind = KernelNames.IsMarkdown(kernel) ? CellKind.Markdown : CellKind.Code;
                cells.Add(new NotebookCell(kind, source, KernelNames.Normalize(kernel)));
            }
            lines.Clear();
        }

        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (CellHeader(rawLine) is { } name)
            {
                Flush();
                kernel = name;
            }
            else
            {
                lines.Add(rawLine);
            }
        }
        Flush();
        return new NotebookDocument(cells, metadata, path, NotebookFormat.Dib);
    }

    private static string? CellHeader(string line)
    {
        if (!line.StartsWith("#!")) return null;
        var name = line[2..].Trim();
        return name == "meta" || KernelNames.Known.Contains(name) ? name : null;
    }

    private static IEnumerable<string> TrimBlankLines(List<string> lines)
    {
        var first = lines.FindIndex(line => line.Trim().Length > 0);
        if (first < 0) return [];
        var last = lines.FindLastIndex(line => line.Trim().Length > 0);
        return lines.Skip(first).Take(last - first + 1);
    }
}
