namespace VirtLab.Interactive;

/// <summary>
/// Prose to show as a cell's output, written in Markdown. Displayed as <c>text/markdown</c>, which
/// Jupyter front ends, VS Code and VirtLab's course site render as formatted text (headings,
/// <c>**bold**</c>, lists, <c>`code`</c>, tables), with a plain-text form for everything else.
/// <para>
/// Lessons make these with <see cref="Notebook.Markdown"/>, whose interpolated numbers are
/// computed by the cell: a lesson never types a measured number into its prose.
/// </para>
/// </summary>
/// <param name="Text">The Markdown source.</param>
public sealed record MarkdownText(string Text)
{
    /// <summary>The MIME type the notebook gets: <c>text/markdown</c>.</summary>
    public const string MimeType = "text/markdown";

    /// <summary>The Markdown source, as it is.</summary>
    public override string ToString() => Text;
}
