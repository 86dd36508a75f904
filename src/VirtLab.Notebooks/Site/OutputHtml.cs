using System.Net;
using System.Text.RegularExpressions;

namespace VirtLab.Notebooks;

/// <summary>
/// Renders cell outputs as HTML for a lesson page: HTML outputs inline as they are, Markdown
/// outputs (<c>text/markdown</c>, from VirtLab.Interactive's <c>Markdown($"...")</c>) rendered as
/// the lesson's prose is, text escaped in <c>&lt;pre&gt;</c>, errors styled. References to
/// plotly.js on a CDN are pointed at the copy the site ships, so a page never needs the network.
/// </summary>
internal static partial class OutputHtml
{
    [GeneratedRegex(@"(https?:)?//cdn\.plot\.ly/plotly(-(latest|[0-9]+(\.[0-9]+)*))?(\.min)?", RegexOptions.IgnoreCase)]
    private static partial Regex PlotlyOnCdn();

    /// <summary>The MIME type of Markdown prose.</summary>
    public const string MarkdownMimeType = "text/markdown";

    public static string Render(CellOutput output, string localPlotly) => output switch
    {
        StreamOutput stream => $"""<pre class="output stream {Encode(stream.Name)}">{Encode(stream.Text)}</pre>""",
        DisplayOutput display => Display(display, localPlotly),
        ErrorOutput error => Error(error),
        _ => "",
    };

    /// <summary>True when the HTML needs plotly.js loaded on the page.</summary>
    public static bool UsesPlotly(string html) => html.Contains("Plotly", StringComparison.OrdinalIgnoreCase);

    /// <summary>Points plotly.js CDN references (script src, require.js paths) at the local copy.</summary>
    public static string UseLocalPlotly(string html, string plotlyPathWithoutExtension) =>
        PlotlyOnCdn().Replace(html, plotlyPathWithoutExtension);

    private static string Display(DisplayOutput display, string localPlotly)
    {
        if (display.Html is { } html)
            return $"""<div class="output display html">{UseLocalPlotly(html, localPlotly)}</div>""";
        if (display.Data.GetValueOrDefault(MarkdownMimeType) is { } markdown)
            return $"""<div class="output display markdown">{LessonMarkdown.OutputHtml(markdown)}</div>""";
        if (display.Data.GetValueOrDefault("image/svg+xml") is { } svg)
            return $"""<div class="output display image">{svg}</div>""";
        if (display.Data.GetValueOrDefault("image/png") is { } png)
            return $"""<div class="output display image"><img alt="" src="data:image/png;base64,{png.Trim()}"></div>""";
        if (display.PlainText is { } text)
            return $"""<pre class="output display text">{Encode(text)}</pre>""";
        return "";
    }

    private static string Error(ErrorOutput error)
    {
        var details = string.Join("\n", error.Traceback);
        var trace = details.Length > 0 && details != error.Value
            ? $"""<details><summary>details</summary><pre>{Encode(details)}</pre></details>"""
            : "";
        return $"""<div class="output error" role="alert"><pre><strong>{Encode(error.Name)}</strong>: {Encode(error.Value)}</pre>{trace}</div>""";
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
