using System.Text.Json.Nodes;

namespace VirtLab.Notebooks;

/// <summary>The file formats a notebook can be read from.</summary>
public enum NotebookFormat
{
    /// <summary>Jupyter's JSON format (nbformat 4), which VS Code writes for Polyglot notebooks.</summary>
    Ipynb,

    /// <summary>Polyglot's plain-text format: cells separated by <c>#!kernel</c> lines, no outputs.</summary>
    Dib,
}

/// <summary>
/// A notebook in memory: an ordered list of cells plus the notebook's metadata.
/// <para>
/// Read one with <see cref="Load"/>, run it with <see cref="NotebookRunner.RunAsync(NotebookDocument, RunOptions?, CancellationToken)"/>, save it
/// with <see cref="NotebookWriter.Save"/>. Both .ipynb and .dib files load into this one shape,
/// so the runner and the site renderer never care which format a lesson was written in.
/// </para>
/// </summary>
public sealed class NotebookDocument
{
    /// <summary>Creates a notebook from cells and top-level metadata.</summary>
    public NotebookDocument(IEnumerable<NotebookCell> cells, JsonObject? metadata = null, string? path = null, NotebookFormat format = NotebookFormat.Ipynb)
    {
        Cells = cells.ToList();
        Metadata = metadata ?? new JsonObject();
        Path = path;
        Format = format;
        // Resolved now: the runner changes the current directory to this folder, and a relative
        // path resolved after that would point below it.
        _directory = path is null ? null : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
    }

    private readonly string? _directory;

    /// <summary>The cells in order.</summary>
    public List<NotebookCell> Cells { get; }

    /// <summary>The notebook's top-level metadata (kernelspec, language_info, polyglot_notebook), kept as read.</summary>
    public JsonObject Metadata { get; }

    /// <summary>The file the notebook was read from, if any. Relative <c>#r</c> and <c>#load</c> resolve against its folder.</summary>
    public string? Path { get; }

    /// <summary>The format the notebook was read from.</summary>
    public NotebookFormat Format { get; }

    /// <summary>
    /// The folder that relative paths in the notebook resolve against: the folder of
    /// <see cref="Path"/> as it was when the notebook was created (a relative path is taken
    /// from the current directory of that moment), or the current directory for a notebook
    /// that has no file.
    /// </summary>
    public string Directory => _directory ?? Environment.CurrentDirectory;

    /// <summary>The file name without extension, e.g. <c>01-registers</c>.</summary>
    public string Name => Path is null ? "notebook" : System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>
    /// The lesson's title: the text of the first markdown heading, or <see cref="Name"/> when there is none.
    /// </summary>
    public string Title =>
        Cells.Where(c => c.Kind == CellKind.Markdown)
             .SelectMany(c => c.Source.Split('\n'))
             .Select(line => line.Trim())
             .Where(line => line.StartsWith('#'))
             .Select(line => line.TrimStart('#').Trim())
             .FirstOrDefault(title => title.Length > 0)
        ?? Name;

    /// <summary>Reads a notebook from an .ipynb or .dib file, chosen by extension.</summary>
    public static NotebookDocument Load(string path)
    {
        var text = File.ReadAllText(path);
        return System.IO.Path.GetExtension(path).Equals(".dib", StringComparison.OrdinalIgnoreCase)
            ? DibFormat.Parse(text, path)
            : IpynbFormat.Parse(text, path);
    }
}
