using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace VirtLab.Notebooks;

/// <summary>
/// A lesson's markdown cells parsed once, for both its page and its outline: every heading gets
/// an id that is unique on the page (Markdig numbers repeated headings within one cell only, and
/// each cell is its own markdown document), the <c>##</c> headings become the sections, and the
/// first list under "What you will learn" becomes the goals. The page's anchors and the sidebar's
/// links therefore come from the same place.
/// </summary>
internal sealed partial class LessonMarkdown
{
    private static readonly MarkdownPipeline pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private readonly Dictionary<NotebookCell, MarkdownDocument> documents;

    private LessonMarkdown(Dictionary<NotebookCell, MarkdownDocument> documents, LessonOutline outline)
    {
        this.documents = documents;
        Outline = outline;
    }

    // href="02-memory.ipynb" in a lesson's markdown links to another lesson: point it at that page.
    [GeneratedRegex(@"href=""(?<name>[^""/:#?]+)\.(ipynb|dib)(?<anchor>#[^""]*)?""", RegexOptions.IgnoreCase)]
    private static partial Regex LinkToNotebook();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>The lesson's goals, time, runs and sections.</summary>
    public LessonOutline Outline { get; }

    public static LessonMarkdown Parse(NotebookDocument lesson)
    {
        var documents = new Dictionary<NotebookCell, MarkdownDocument>();
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        var sections = new List<LessonSection>();
        var goals = new List<string>();
        var collectingGoals = false;

        foreach (var cell in lesson.Cells.Where(c => c.Kind == CellKind.Markdown))
        {
            var document = Markdown.Parse(cell.Source, pipeline);
            documents[cell] = document;
            foreach (var block in document.Descendants<Block>())
            {
                if (block is HeadingBlock heading)
                {
                    var title = PlainText(heading);
                    var attributes = heading.GetAttributes();
                    attributes.Id = Unique(attributes.Id is { Length: > 0 } id ? id : "section", usedIds);
                    if (heading.Level == 2) sections.Add(new LessonSection(title, attributes.Id));
                    collectingGoals = goals.Count == 0 && title.TrimEnd(':').Trim().Equals(LessonOutline.GoalsHeading, StringComparison.OrdinalIgnoreCase);
                }
                else if (block is ListBlock list && list.Parent == document && collectingGoals)
                {
                    goals.AddRange(list.OfType<ListItemBlock>().Select(item => ItemMarkdown(cell.Source, item)).Where(g => g.Length > 0));
                    collectingGoals = false;
                }
            }
        }

        var (minutes, runs, problems) = LessonOutline.ReadMetadata(lesson);
        if (goals.Count == 0) problems = [$"no \"{LessonOutline.GoalsHeading}\" list", .. problems];
        return new LessonMarkdown(documents, new LessonOutline(lesson.Title, goals, minutes, runs, sections, problems));
    }

    /// <summary>The HTML of a markdown cell of this lesson, links to other lessons' notebooks pointed at their pages.</summary>
    public string Html(NotebookCell cell) => PointLinksAtPages(Markdown.ToHtml(documents[cell], pipeline));

    /// <summary>Markdown a cell displayed (a <c>text/markdown</c> output) as HTML, rendered as the lesson's own markdown is.</summary>
    public static string OutputHtml(string markdown) => PointLinksAtPages(Markdown.ToHtml(markdown, pipeline));

    /// <summary>A short piece of markdown (a goal, a run) as inline HTML, without the paragraph around it.</summary>
    public static string InlineHtml(string markdown)
    {
        var html = PointLinksAtPages(Markdown.ToHtml(markdown, pipeline)).Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal) ? html[3..^4] : html;
    }

    private static string PointLinksAtPages(string html) =>
        LinkToNotebook().Replace(html, match => $"href=\"{match.Groups["name"].Value}.html{match.Groups["anchor"].Value}\"");

    private static string Unique(string id, HashSet<string> used)
    {
        var candidate = id;
        for (int n = 2; !used.Add(candidate); n++) candidate = $"{id}-{n}";
        return candidate;
    }

    /// <summary>The heading's text: its literal and code pieces, without markdown.</summary>
    private static string PlainText(HeadingBlock heading)
    {
        var text = new StringBuilder();
        foreach (var inline in heading.Inline?.Descendants<Inline>() ?? [])
        {
            if (inline is LiteralInline literal) text.Append(literal.Content.ToString());
            else if (inline is CodeInline code) text.Append(code.Content);
        }
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    /// <summary>The markdown of a list item's first paragraph, on one line (the item's marker left out).</summary>
    private static string ItemMarkdown(string source, ListItemBlock item)
    {
        var paragraph = item.Descendants<ParagraphBlock>().FirstOrDefault();
        if (paragraph is null || paragraph.Span.Start < 0 || paragraph.Span.Start >= source.Length) return "";
        var end = Math.Min(paragraph.Span.End + 1, source.Length); // Span.End is the last character, inclusive
        return Whitespace().Replace(source[paragraph.Span.Start..end], " ").Trim();
    }
}
