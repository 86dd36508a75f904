using System.Text;

namespace VirtLab.Notebooks;

/// <summary>The frame every page shares: head with the stylesheet (and plotly.js when needed), then the body.</summary>
internal static class PageLayout
{
    public static string Page(string title, string body, bool loadPlotly)
    {
        var head = new StringBuilder()
            .AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\">")
            .AppendLine("<head>")
            .AppendLine("<meta charset=\"utf-8\">")
            .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .AppendLine($"<title>{OutputHtml.Encode(title)}</title>")
            .AppendLine($"<link rel=\"stylesheet\" href=\"{CourseSite.AssetsFolder}/{SiteStyle.FileName}\">");
        // Loaded in the head, before any output's inline script calls Plotly.newPlot.
        if (loadPlotly) head.AppendLine($"<script src=\"{CourseSite.PlotlyFile}\"></script>");
        return head.AppendLine("</head>")
            .AppendLine("<body>")
            .AppendLine(body)
            .AppendLine("</body>")
            .AppendLine("</html>")
            .ToString();
    }

    /// <summary>The bar with the previous lesson, the contents and the next lesson.</summary>
    public static string Navigation(LessonLink? previous, LessonLink? next, string position)
    {
        static string Link(LessonLink? lesson, string rel, string label) => lesson is null
            ? $"<span class=\"placeholder\">{label}</span>"
            : $"<a rel=\"{rel}\" href=\"{OutputHtml.Encode(lesson.PageFileName)}\">{label}: {OutputHtml.Encode(lesson.Title)}</a>";

        return $"<nav class=\"lesson-nav {position}\" aria-label=\"lessons\">"
               + Link(previous, "prev", "← Previous")
               + "<a rel=\"index\" href=\"index.html\">Contents</a>"
               + Link(next, "next", "Next →")
               + "</nav>";
    }
}
