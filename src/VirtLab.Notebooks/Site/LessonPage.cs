using System.Text;

namespace VirtLab.Notebooks;

/// <summary>
/// Renders one executed notebook as a page: the lesson's sections in a sidebar (a box above the
/// lesson on narrow screens), markdown cells through Markdig, code cells as source followed by
/// their outputs, and the navigation bar above and below.
/// </summary>
internal static class LessonPage
{
    public static string Render(NotebookDocument lesson, LessonMarkdown markdown, LessonLink? previous, LessonLink? next, string? notebookDownload, bool plotlyShipped)
    {
        var body = new StringBuilder();
        body.AppendLine(PageLayout.Navigation(previous, next, "top"));
        body.AppendLine("<div class=\"lesson-layout\">");
        body.AppendLine(Sidebar(markdown.Outline));
        body.AppendLine("<main>");
        foreach (var cell in lesson.Cells) body.AppendLine(Cell(cell, markdown));
        if (notebookDownload is not null)
            body.AppendLine($"<p class=\"muted\"><a href=\"{OutputHtml.Encode(notebookDownload)}\" download>Download this notebook</a></p>");
        body.AppendLine("</main>");
        body.AppendLine("</div>");
        body.AppendLine(PageLayout.Navigation(previous, next, "bottom"));

        var html = body.ToString();
        return PageLayout.Page(lesson.Title, html, loadPlotly: plotlyShipped && OutputHtml.UsesPlotly(html));
    }

    /// <summary>The lesson's sections as links to their headings, with the estimated time; empty when the lesson has no sections.</summary>
    private static string Sidebar(LessonOutline outline)
    {
        if (outline.Sections.Count == 0) return "";
        var html = new StringBuilder("<nav class=\"sections\" aria-label=\"sections of this lesson\">\n<div class=\"sections-title\">In this lesson</div>\n<ol>\n");
        foreach (var section in outline.Sections)
            html.Append("<li><a href=\"#").Append(OutputHtml.Encode(section.Anchor)).Append("\">").Append(OutputHtml.Encode(section.Title)).AppendLine("</a></li>");
        html.AppendLine("</ol>");
        if (outline.Minutes is { } minutes) html.AppendLine($"<div class=\"muted\">About {minutes} minutes</div>");
        return html.Append("</nav>").ToString();
    }

    private static string Cell(NotebookCell cell, LessonMarkdown markdown) => cell.Kind switch
    {
        CellKind.Markdown => $"<section class=\"cell markdown\">\n{markdown.Html(cell)}</section>",
        CellKind.Code => Code(cell),
        _ => "",
    };

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
