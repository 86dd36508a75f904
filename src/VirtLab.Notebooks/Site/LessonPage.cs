using System.Text;
using System.Text.RegularExpressions;
using Markdig;

namespace VirtLab.Notebooks;

/// <summary>
/// Renders one executed notebook as a page: markdown cells through Markdig, code cells as source
/// followed by their outputs, and the navigation bar above and below.
/// </summary>
internal static partial class LessonPage
{
    private static readonly MarkdownPipeline markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    // href="02-memory.ipynb" in a lesson's markdown links to another lesson: point it at that page.
    [GeneratedRegex(@"href=""(?<name>[^""/:#?]+)\.(ipynb|dib)(?<anchor>#[^""]*)?""", RegexOptions.IgnoreCase)]
    private static partial Regex LinkToNotebook();

    public static string Render(NotebookDocument lesson, LessonLink? previous, LessonLink? next, string? notebookDownload, bool plotlyShipped)
    {
        var body = new StringBuilder();
        body.AppendLine(PageLayout.Navigation(previous, next, "top"));
        body.AppendLine("<main>");
        foreach (var cell in lesson.Cells) body.AppendLine(Cell(cell));
        if (notebookDownload is not null)
            body.AppendLine($"<p class=\"muted\"><a href=\"{OutputHtml.Encode(notebookDownload)}\" download>Download this notebook</a></p>");
        body.AppendLine("</main>");
        body.AppendLine(PageLayout.Navigation(previous, next, "bottom"));

        var html = body.ToString();
        return PageLayout.Page(lesson.Title, html, loadPlotly: plotlyShipped && OutputHtml.UsesPlotly(html));
    }

    private static string Cell(NotebookCell cell) => cell.Kind switch
    {
        CellKind.Markdown => $"<section class=\"cell markdown\">\n{Markdown(cell.Source)}</section>",
        CellKind.Code => Code(cell),
        _ => "",
    };

    private static string Markdown(string source) =>
        LinkToNotebook().Replace(Markdig.Markdown.ToHtml(source, markdown), match => $"href=\"{match.Groups["name"].Value}.html{match.Groups["anchor"].Value}\"");

    private static string Code(NotebookCell cell)
    {
        var html = new StringBuilder($"<section class=\"cell code\" data-kernel=\"{OutputHtml.Encode(cell.KernelName)}\">\n");
        html.AppendLine($"<pre class=\"source\"><code class=\"language-{OutputHtml.Encode(cell.KernelName)}\">{OutputHtml.Encode(cell.Source)}</code></pre>");
        if (cell.Outputs.Count > 0)
        {
            html.AppendLine("<div class=\"outputs\">");
            foreach (var output in cell.Outputs) html.AppendLine(OutputHtml.Render(output, CourseSite.PlotlyFileWithoutExtension));
            html.AppendLine("</div>");
        }
        return html.Append("</section>").ToString();
    }
}
