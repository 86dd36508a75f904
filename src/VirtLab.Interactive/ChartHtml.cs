using System.Text;
using System.Threading;
using Newtonsoft.Json;
using Plotly.NET;

namespace VirtLab.Interactive;

/// <summary>How a chart's HTML gets plotly.js.</summary>
public enum PlotlyLoading
{
    /// <summary>
    /// Decide by host: inside VirtLab's Jupyter kernel or the Polyglot kernel, <see cref="EmbedOnce"/>
    /// (a live notebook has no page to provide plotly.js); in VirtLab's headless runner, whose
    /// outputs go to the course site, <see cref="FromPage"/>.
    /// </summary>
    Auto,

    /// <summary>The page provides <c>Plotly</c> (the course site loads <c>assets/plotly.min.js</c> in its head).</summary>
    FromPage,

    /// <summary>
    /// The first chart of a session carries plotly.js inline (about 3.5 MB, from Plotly.NET's
    /// embedded copy) and defines <c>Plotly</c> for the charts after it; no network needed.
    /// </summary>
    EmbedOnce,
}

/// <summary>
/// Turns a Plotly.NET chart into notebook HTML: a <c>div</c> and a script that calls
/// <c>Plotly.newPlot</c> with the chart's figure. Never a CDN: plotly.js comes from the page or
/// from Plotly.NET's own embedded copy (see <see cref="PlotlyLoading"/>). When neither is there, the
/// chart says so in words instead of staying blank.
/// </summary>
public static class ChartHtml
{
    private static int counter;
    private static int embedded;

    /// <summary>How charts get plotly.js; <see cref="PlotlyLoading.Auto"/> by default.</summary>
    public static PlotlyLoading Loading { get; set; } = PlotlyLoading.Auto;

    /// <summary>The height of a chart, in pixels, unless its layout sets one.</summary>
    public static int DefaultHeight { get; set; } = 420;

    /// <summary>The MIME type of a Plotly figure as JSON, which JupyterLab and VS Code render natively.</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>
    /// The <see cref="AppContext"/> key through which VirtLab's cell host says who drives it
    /// (<c>jupyter</c> or <c>runner</c>); written by VirtLab.Notebooks' CellHost.
    /// </summary>
    public const string NotebookHostKey = "VirtLab.NotebookHost";

    /// <summary>The loading mode in effect after resolving <see cref="PlotlyLoading.Auto"/>.</summary>
    public static PlotlyLoading EffectiveLoading => Loading != PlotlyLoading.Auto ? Loading
        : InsidePolyglotKernel() || AppContext.GetData(NotebookHostKey) as string == "jupyter" ? PlotlyLoading.EmbedOnce : PlotlyLoading.FromPage;

    /// <summary>Makes the next chart embed plotly.js again (after the output that carried it was cleared).</summary>
    public static void ResetEmbedding() => Interlocked.Exchange(ref embedded, 0);

    /// <summary>
    /// The chart as plain text: "chart: " and its title. A front end that cannot draw HTML or
    /// Plotly JSON shows this; the object's default text would be its F# internals.
    /// </summary>
    public static string PlainText(GenericChart chart)
    {
        // Read from the layout object itself: serializing the figure for a title would be a third
        // serialization of every chart (after the HTML and the Plotly JSON).
        string? title = GenericChart.getLayout(chart).TryGetPropertyValue("title") is { Value: DynamicObj.DynamicObj t }
                        && t.TryGetPropertyValue("text") is { Value: string text } ? text : null;
        return string.IsNullOrEmpty(title) ? "chart" : "chart: " + title;
    }

    /// <summary>The HTML for <paramref name="chart"/>.</summary>
    public static string Render(GenericChart chart)
    {
        var id = "virtlab-chart-" + Interlocked.Increment(ref counter) + "-" + Guid.NewGuid().ToString("N")[..8];
        var figure = FigureJson(chart);
        var html = new StringBuilder();
        if (EffectiveLoading == PlotlyLoading.EmbedOnce && Interlocked.Exchange(ref embedded, 1) == 0 && EmbeddedPlotly() is { } plotly)
        {
            // Defines window.Plotly unless the page already has it. "</script" inside the library
            // would end the element early; "<\/script" means the same to JavaScript. A page with
            // require.js (classic Jupyter, nbconvert's HTML) would make plotly.js an AMD module
            // instead of a global, so define is hidden while it runs.
            html.Append("<script type=\"text/javascript\">if (typeof window.Plotly === 'undefined') {\nvar virtlabDefine = window.define; window.define = undefined;\n")
                .Append(plotly.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase))
                .Append("\nwindow.define = virtlabDefine;\n}</script>\n");
        }
        html.Append("<div id=\"").Append(id).Append("\" class=\"virtlab-chart\" style=\"width:100%;min-height:").Append(DefaultHeight).Append("px\"></div>\n")
            .Append("<script type=\"text/javascript\">\n(function () {\n")
            .Append("  var target = document.getElementById('").Append(id).Append("');\n")
            .Append("  var figure = ").Append(figure).Append(";\n")
            // Plotly.NET's default layout fixes width and height; let the chart fill the output's width instead.
            .Append("  var layout = Object.assign({}, figure.layout || {}, { autosize: true });\n")
            .Append("  delete layout.width;\n")
            .Append("  layout.height = ").Append(DefaultHeight).Append(" + (layout.sliders ? 90 : 0) + (layout.updatemenus ? 40 : 0);\n")
            .Append("  function draw() { Plotly.newPlot(target, figure.data, layout, { responsive: true, displaylogo: false }); }\n")
            .Append("  if (typeof window.Plotly !== 'undefined') { draw(); return; }\n")
            .Append("  var tries = 0;\n")
            .Append("  var wait = setInterval(function () {\n")
            .Append("    if (typeof window.Plotly !== 'undefined') { clearInterval(wait); draw(); }\n")
            .Append("    else if (++tries > 50) { clearInterval(wait); target.textContent = 'This chart needs plotly.js, which is not loaded here. Open the lesson on the course site (virtlab course) or run the notebook again.'; }\n")
            .Append("  }, 100);\n")
            .Append("})();\n</script>");
        return html.ToString();
    }

    private static readonly Lock templateGate = new();
    private static (DynamicObj.DynamicObj Template, string Json)? lastTemplate;

    /// <summary>
    /// The chart's figure as JSON: its traces, its layout and no frames, the same figure as Plotly.NET's
    /// <c>GenericChart.toFigureJson</c> writes. Every chart's layout carries a copy of the default
    /// template (colours, fonts, axis styles for every trace type), and Plotly.NET serializes that
    /// copy afresh each time, which costs about half a second of CPU per chart: most of the time a
    /// lesson spends drawing. So the template is written once and its JSON reused for every chart whose
    /// template is structurally equal to it (a check of a few milliseconds); only the rest of the
    /// layout and the traces are serialized per chart.
    /// </summary>
    internal static string FigureJson(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        if (layout.TryGetPropertyValue("template") is not { Value: DynamicObj.DynamicObj template }) return GenericChart.toFigureJson(chart);
        var rest = layout.ShallowCopyDynamicProperties();
        rest.RemoveProperty("template");
        string restJson = JsonConvert.SerializeObject(rest, Globals.JSON_CONFIG);
        string layoutJson = "{\"template\":" + TemplateJson(template) + (restJson == "{}" ? "}" : "," + restJson[1..]);
        string data = JsonConvert.SerializeObject(GenericChart.getTraces(chart), Globals.JSON_CONFIG);
        return "{\"data\":" + data + ",\"layout\":" + layoutJson + ",\"frames\":[]}";
    }

    private static string TemplateJson(DynamicObj.DynamicObj template)
    {
        lock (templateGate)
        {
            if (lastTemplate is { } last && (ReferenceEquals(last.Template, template) || last.Template.StructurallyEquals(template))) return last.Json;
            string json = JsonConvert.SerializeObject(template, Globals.JSON_CONFIG);
            lastTemplate = (template, json);
            return json;
        }
    }

    /// <summary>plotly.js as Plotly.NET carries it (an embedded resource), or null.</summary>
    public static string? EmbeddedPlotly()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.StartsWith("Plotly.NET.plotly", StringComparison.Ordinal) && n.EndsWith(".js", StringComparison.Ordinal));
        if (name is null) return null;
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>True when the Polyglot (.NET Interactive) kernel hosts this code.</summary>
    private static bool InsidePolyglotKernel() =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name is "Microsoft.DotNet.Interactive" or "Microsoft.DotNet.Interactive.CSharp");
}
