using System.Text.Encodings.Web;
using System.Text.Json;

namespace VirtLab.Notebooks;

/// <summary>
/// Writes a notebook as .ipynb (nbformat 4.5) in the shape VS Code writes: keys in alphabetical
/// order, one-space indentation, multi-line text as arrays of lines, all metadata kept.
/// A notebook read from a .dib file is saved as .ipynb with its outputs.
/// </summary>
public static class NotebookWriter
{
    /// <summary>Saves <paramref name="document"/> to <paramref name="path"/> as .ipynb JSON.</summary>
    public static void Save(NotebookDocument document, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, ToJson(document));
    }

    /// <summary>The .ipynb JSON text for <paramref name="document"/>.</summary>
    public static string ToJson(NotebookDocument document)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            IndentSize = 1,
            // Keep <, > and non-ASCII readable in the file, as VS Code does.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        return IpynbFormat.ToJson(document).ToJsonString(options) + "\n";
    }
}
