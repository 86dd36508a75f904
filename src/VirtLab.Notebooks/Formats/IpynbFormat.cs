using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtLab.Notebooks;

/// <summary>
/// Reads and writes Jupyter's .ipynb JSON in the shape VS Code writes for Polyglot notebooks:
/// nbformat 4.5, cell ids, source as an array of lines, and the kernel of each code cell in
/// <c>metadata.polyglot_notebook.kernelName</c> (older files: <c>metadata.dotnet_interactive.language</c>).
/// </summary>
internal static class IpynbFormat
{
    /// <summary>
    /// Reads a notebook. Broken JSON or JSON of the wrong shape throws a
    /// <see cref="NotebookFormatException"/> that names the line and column, or the cell and field, at fault.
    /// </summary>
    public static NotebookDocument Parse(string json, string? path)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json);
        }
        catch (JsonException error)
        {
            throw new NotebookFormatException(path, "not valid JSON: " + WithoutPosition(error.Message),
                error.LineNumber + 1, error.BytePositionInLine + 1, error);
        }
        if (parsed is not JsonObject root)
            throw new NotebookFormatException(path, $"not a notebook: the file holds {Describe(parsed)}, not a JSON object with \"cells\"");
        if (root["cells"] is not JsonArray cellNodes)
            throw new NotebookFormatException(path, root.ContainsKey("worksheets")
                ? "an nbformat 3 notebook; convert it with: jupyter nbconvert --to notebook --nbformat 4"
                : $"not a notebook: \"cells\" is {Describe(root["cells"])}, not a list");

        var metadata = root["metadata"] is JsonObject given ? given.DeepClone().AsObject() : new JsonObject();
        string defaultKernel;
        try
        {
            defaultKernel = DefaultKernelName(metadata);
        }
        catch (InvalidOperationException error)
        {
            throw new NotebookFormatException(path, $"metadata: {error.Message}", inner: error);
        }
        var cells = new List<NotebookCell>();
        for (var i = 0; i < cellNodes.Count; i++)
        {
            var node = cellNodes[i];
            try
            {
                if (node is not JsonObject cell) throw new InvalidOperationException($"expected a JSON object, found {Describe(node)}");
                cells.Add(ParseCell(cell, defaultKernel));
            }
            catch (Exception error) when (error is InvalidOperationException or FormatException)
            {
                var place = error.Message.StartsWith("$.", StringComparison.Ordinal) ? $"cell {i + 1}, " : $"cell {i + 1} ($.cells[{i}]): ";
                throw new NotebookFormatException(path, place + error.Message, inner: error);
            }
        }
        return new NotebookDocument(cells, metadata, path, NotebookFormat.Ipynb);
    }

    /// <summary>System.Text.Json ends its messages with "Path: ... | LineNumber: ..."; the place is reported separately.</summary>
    private static string WithoutPosition(string message) =>
        message.Split(" Path: ")[0].Split(" LineNumber: ")[0].TrimEnd(' ', '|');

    private static string Describe(JsonNode? node) => node switch
    {
        null => "nothing (null)",
        JsonArray => "a list",
        JsonObject => "an object",
        JsonValue value => $"a {value.GetValueKind().ToString().ToLowerInvariant()}",
        _ => "something else",
    };

    /// <summary>The notebook's default kernel: Polyglot's kernelInfo, else the kernelspec's language, else C#.</summary>
    public static string DefaultKernelName(JsonObject metadata)
    {
        var name = metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>()
            ?? metadata["kernelspec"]?["language"]?.GetValue<string>()
            ?? metadata["language_info"]?["name"]?.GetValue<string>()
            ?? KernelNames.CSharp;
        return KernelNames.Normalize(name);
    }

    private static NotebookCell ParseCell(JsonObject json, string defaultKernel)
    {
        var metadata = (json["metadata"] as JsonObject)?.DeepClone().AsObject() ?? new JsonObject();
        var source = MultilineText.Read(json["source"]);
        var id = json["id"]?.GetValue<string>();
        var cellType = json["cell_type"]?.GetValue<string>();

        if (cellType == "markdown") return new NotebookCell(CellKind.Markdown, source, KernelNames.Markdown, id, metadata);
        if (cellType == "raw") return new NotebookCell(CellKind.Raw, source, "raw", id, metadata);

        var kernel = KernelNames.Normalize(
            metadata["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
            ?? metadata["dotnet_interactive"]?["language"]?.GetValue<string>()
            ?? defaultKernel);
        var kind = KernelNames.IsMarkdown(kernel) ? CellKind.Markdown : CellKind.Code;
        var cell = new NotebookCell(kind, source, kernel, id, metadata)
        {
            ExecutionCount = json["execution_count"]?.GetValue<int>(),
        };
        foreach (var output in json["outputs"] as JsonArray ?? [])
        {
            if (ParseOutput(output!.AsObject()) is { } parsed) cell.Outputs.Add(parsed);
        }
        return cell;
    }

    private static CellOutput? ParseOutput(JsonObject json) => json["output_type"]?.GetValue<string>() switch
    {
        "stream" => new StreamOutput(json["name"]?.GetValue<string>() ?? StreamOutput.StandardOutput, MultilineText.Read(json["text"])),
        "display_data" or "execute_result" => new DisplayOutput(
            (json["data"] as JsonObject ?? []).ToDictionary(pair => pair.Key, pair => ReadData(pair.Value)))
        {
            IsResult = json["output_type"]?.GetValue<string>() == "execute_result",
        },
        "error" => new ErrorOutput(
            json["ename"]?.GetValue<string>() ?? "Error",
            json["evalue"]?.GetValue<string>() ?? "",
            (json["traceback"] as JsonArray ?? []).Select(line => line?.GetValue<string>() ?? "").ToList()),
        _ => null,
    };

    // Text mime types are strings or line arrays; JSON mime types (application/json) hold any JSON value.
    private static string ReadData(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => MultilineText.Read(lines),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    public static JsonObject ToJson(NotebookDocument document)
    {
        var cells = new JsonArray();
        foreach (var cell in document.Cells) cells.Add(CellToJson(cell));
        var metadata = document.Metadata.DeepClone().AsObject();
        if (document.Format == NotebookFormat.Dib) AddPolyglotMetadata(metadata);
        return new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = metadata,
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
    }

    // A .dib has no kernelspec; give the saved .ipynb the metadata of a lesson (see KernelNames.KernelSpecName).
    private static void AddPolyglotMetadata(JsonObject metadata)
    {
        metadata["kernelspec"] ??= KernelNames.KernelSpecMetadata();
        metadata["language_info"] ??= new JsonObject { ["name"] = "C#" };
        metadata["polyglot_notebook"] ??= new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        };
    }

    private static JsonObject CellToJson(NotebookCell cell)
    {
        // Keys in alphabetical order, as VS Code writes them.
        var json = new JsonObject { ["cell_type"] = cell.Kind switch { CellKind.Markdown => "markdown", CellKind.Raw => "raw", _ => "code" } };
        if (cell.Kind == CellKind.Code) json["execution_count"] = cell.ExecutionCount;
        json["id"] = cell.Id ??= NewCellId();
        var metadata = cell.Metadata.DeepClone().AsObject();
        if (cell.Kind == CellKind.Code && metadata["polyglot_notebook"] is null)
        {
            metadata["dotnet_interactive"] = new JsonObject { ["language"] = cell.KernelName };
            metadata["polyglot_notebook"] = new JsonObject { ["kernelName"] = cell.KernelName };
        }
        json["metadata"] = metadata;
        if (cell.Kind == CellKind.Code)
        {
            var outputs = new JsonArray();
            foreach (var output in cell.Outputs) outputs.Add(OutputToJson(output));
            json["outputs"] = outputs;
        }
        json["source"] = MultilineText.Write(cell.Source);
        return json;
    }

    private static JsonObject OutputToJson(CellOutput output) => output switch
    {
        StreamOutput stream => new JsonObject
        {
            ["name"] = stream.Name,
            ["output_type"] = "stream",
            ["text"] = MultilineText.Write(stream.Text),
        },
        DisplayOutput display => new JsonObject
        {
            ["data"] = new JsonObject(display.Data.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => KeyValuePair.Create(pair.Key, DataToJson(pair.Key, pair.Value)))),
            ["metadata"] = new JsonObject(),
            ["output_type"] = "display_data",
        },
        ErrorOutput error => new JsonObject
        {
            ["ename"] = error.Name,
            ["evalue"] = error.Value,
            ["output_type"] = "error",
            ["traceback"] = new JsonArray(error.Traceback.Select(line => (JsonNode?)line).ToArray()),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(output), output, "unknown output kind"),
    };

    /// <summary>Text MIME types as lists of lines; JSON ones (a Plotly figure) as the JSON value itself, as nbformat wants.</summary>
    private static JsonNode? DataToJson(string mimeType, string value)
    {
        if (DisplayOutput.IsJsonMimeType(mimeType))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                // stored as text below
            }
        }
        return MultilineText.Write(value);
    }

    private static string NewCellId() => Guid.NewGuid().ToString("N")[..8];
}
