using System.Text;

namespace VirtLab.Notebooks;

/// <summary>
/// Renders executed notebooks as a static site that works offline:
/// <c>index.html</c> lists the lessons, one page per lesson shows its prose, code and outputs,
/// and <c>assets/</c> holds the stylesheet and plotly.js. No page references a CDN.
/// <example>
/// <code>
/// var lessons = paths.Select(NotebookDocument.Load).ToList();
/// foreach (var lesson in lessons) await NotebookRunner.RunAsync(lesson);
/// var index = CourseSite.Build(lessons, "site", new SiteOptions { Plotly = PlotlyScript.FromAssembly(plotlyNetAssembly) });
/// </code>
/// </example>
/// </summary>
public static class CourseSite
{
    /// <summary>The folder beside the pages that holds the stylesheet and plotly.js.</summary>
    public const string AssetsFolder = "assets";

    /// <summary>The path of plotly.js relative to the pages.</summary>
    public const string PlotlyFile = AssetsFolder + "/plotly.min.js";

    internal const string PlotlyFileWithoutExtension = AssetsFolder + "/plotly.min";

    /// <summary>The folder beside the pages that holds the executed notebooks.</summary>
    public const string NotebooksFolder = "notebooks";

    /// <summary>
    /// Writes the site for <paramref name="lessons"/>, in the order given, into <paramref name="outputDirectory"/>
    /// and returns the full path of its index page.
    /// </summary>
    public static string Build(IEnumerable<NotebookDocument> lessons, string outputDirectory, SiteOptions? options = null)
    {
        options ??= new SiteOptions();
        var documents = lessons.ToList();
        var markdown = documents.Select(LessonMarkdown.Parse).ToList();
        var links = documents.Select(d => new LessonLink(d.Title, PageFileName(d))).ToList();
        Directory.CreateDirectory(Path.Combine(outputDirectory, AssetsFolder));
        File.WriteAllText(Path.Combine(outputDirectory, AssetsFolder, SiteStyle.FileName), SiteStyle.Css);

        var plotly = options.Plotly ?? PlotlyScript.FromLoadedAssemblies();
        plotly?.WriteTo(Path.Combine(outputDirectory, PlotlyFile));

        for (var i = 0; i < documents.Count; i++)
        {
            string? download = null;
            if (options.IncludeNotebooks)
            {
                download = $"{NotebooksFolder}/{documents[i].Name}.ipynb";
                NotebookWriter.Save(documents[i], Path.Combine(outputDirectory, download));
            }
            var page = LessonPage.Render(
                documents[i],
                markdown[i],
                previous: i > 0 ? links[i - 1] : null,
                next: i + 1 < links.Count ? links[i + 1] : null,
                download,
                plotlyShipped: plotly is not null);
            File.WriteAllText(Path.Combine(outputDirectory, links[i].PageFileName), page);
        }

        var indexPath = Path.GetFullPath(Path.Combine(outputDirectory, "index.html"));
        File.WriteAllText(indexPath, IndexPage(options.Title, documents, markdown.Select(m => m.Outline).ToList(), links));
        return indexPath;
    }

    /// <summary>The page file name for a lesson: its notebook's file name with <c>.html</c>.</summary>
    public static string PageFileName(NotebookDocument lesson) => lesson.Name + ".html";

    /// <summary>
    /// The table of contents: per lesson its title (a link), its estimated time, what the student
    /// will learn and run (see <see cref="LessonOutline"/> for where each comes from) and its sections.
    /// </summary>
    private static string IndexPage(string title, IReadOnlyList<NotebookDocument> documents, IReadOnlyList<LessonOutline> outlines, IReadOnlyList<LessonLink> links)
    {
        var body = new StringBuilder("<main class=\"contents\">\n");
        body.AppendLine($"<h1>{OutputHtml.Encode(title)}</h1>");
        var minutes = outlines.Where(o => o.Minutes is not null).Sum(o => o.Minutes!.Value);
        body.AppendLine($"<p class=\"muted\">{links.Count} lesson{(links.Count == 1 ? "" : "s")}{(minutes > 0 ? $", about {minutes} minutes in all" : "")}. "
                        + "Every number, table and chart in these lessons was produced by running VirtLab when this site was built.</p>");
        body.AppendLine("<ol class=\"lessons\">");
        for (var i = 0; i < links.Count; i++)
        {
            var outline = outlines[i];
            var page = OutputHtml.Encode(links[i].PageFileName);
            var failed = documents[i].Cells.Any(c => c.HasError) ? "<span class=\"failed-badge\">has errors</span>" : "";
            var time = outline.Minutes is { } m ? $"<span class=\"minutes\">about {m} min</span>" : "";
            body.AppendLine("<li class=\"lesson\">");
            body.AppendLine($"<h2><a href=\"{page}\">{OutputHtml.Encode(links[i].Title)}</a>{time}{failed}</h2>");
            if (outline.Goals.Count > 0 || outline.Runs.Count > 0)
            {
                body.AppendLine("<div class=\"lesson-facts\">");
                if (outline.Goals.Count > 0) body.AppendLine(FactList("What you will learn", "goals", outline.Goals));
                if (outline.Runs.Count > 0) body.AppendLine(FactList("What you will run", "runs", outline.Runs));
                body.AppendLine("</div>");
            }
            if (outline.Sections.Count > 0)
                body.AppendLine("<p class=\"lesson-sections\">" + string.Join(" · ", outline.Sections.Select(s =>
                    $"<a href=\"{page}#{OutputHtml.Encode(s.Anchor)}\">{OutputHtml.Encode(s.Title)}</a>")) + "</p>");
            body.AppendLine("</li>");
        }
        body.AppendLine("</ol>\n</main>");
        return PageLayout.Page(title, body.ToString(), loadPlotly: false);
    }

    private static string FactList(string heading, string kind, IReadOnlyList<string> items) =>
        $"<div class=\"{kind}\"><div class=\"label\">{heading}</div><ul>"
        + string.Concat(items.Select(item => $"<li>{LessonMarkdown.InlineHtml(item)}</li>"))
        + "</ul></div>";
}
