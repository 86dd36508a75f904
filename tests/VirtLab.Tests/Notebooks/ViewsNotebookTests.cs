using VirtLab.Interactive;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// TestNotebooks/views.ipynb run as a course (the runner, then the site): the exit trace stepped
/// through, the views of a VM and a host, the chart presets, the progress bar and Markdown prose,
/// each checked in the cell's output and on the rendered page.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class ViewsNotebookTests
{
    private const string FakePlotly = "/* stand-in for plotly.js */ window.Plotly = { newPlot: function () {} };";

    [Fact]
    public async Task The_views_notebook_shows_the_trace_views_charts_progress_and_prose_in_the_notebook_and_on_the_site()
    {
        using var lessons = new TestNotebookFolder("views.ipynb");
        NotebookLibrary.Deploy(lessons.File(NotebookLibrary.FolderName));
        using var site = new TestNotebookFolder();
        var options = new CourseOptions
        {
            Run = new RunOptions { CellTimeout = TimeSpan.FromMinutes(2) },
            Site = new SiteOptions { Plotly = PlotlyScript.FromText(FakePlotly) },
        };

        var result = await Course.RunAsync(lessons.Path, site.Path, options, new StringWriter());

        var notebook = Assert.Single(result.Lessons).Document;
        var errors = notebook.Cells.SelectMany(c => c.Outputs).OfType<ErrorOutput>().Select(e => e.Value).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        string Html(string cell) => Assert.IsType<DisplayOutput>(Output(notebook, cell).Last()).Html!;

        // The first exit, stepped through: the CSR written, its value before and after, the resume.
        var write = Html("trace");
        Assert.Contains("class=\"virtlab traced-exit\"", write);
        Assert.Contains("<code>csrw mscratch, t0</code> at pc <code>0x80000008</code>", write);
        Assert.Contains("<th>mstatus</th>", write);
        Assert.Contains("<th>mscratch</th>", write);
        Assert.Contains("<td class=\"changed\">0x00000000</td>", write);
        Assert.Contains("<td class=\"changed\">0x00001234</td>", write);
        Assert.Contains("The guest resumes at pc <code>0x8000000c</code> (the next instruction", write);
        // The second: the register the read changed.
        Assert.Contains("<code class=\"changed\">a0</code> <code>0x00000000</code> &rarr; <code>0x00001234</code>", Html("read"));
        // The whole trace, and the CSR exits alone, as tables.
        var table = Html("table");
        Assert.Contains("exit trace: recording, 3 exits kept of 3 seen", table);
        Assert.Contains("<code>Hypercall</code>", table);
        Assert.Contains("VM stopped: ", table);
        var csrOnly = Html("csr-only");
        Assert.Contains("<code>CsrAccess</code>", csrOnly);
        Assert.DoesNotContain("<code>Hypercall</code>", csrOnly);
        // The VM and the host.
        Assert.Contains("class=\"virtlab vm\"", Html("vm"));
        Assert.Contains("<tr><td><code>CsrAccess</code></td><td class=\"num\">2</td>", Html("vm"));
        var host = Html("run");
        Assert.Contains("class=\"virtlab host\"", host);
        Assert.Contains("<code>web</code>", host);

        // Prose with the numbers the cell computed, as Markdown.
        var prose = Assert.IsType<DisplayOutput>(Assert.Single(Output(notebook, "prose")));
        Assert.StartsWith("The guest made **2** CSR exits, which cost ", prose.Data[MarkdownText.MimeType]);
        Assert.False(prose.Data.ContainsKey("text/html"));

        // Progress bars: the same text on every run.
        Assert.Equal(new StreamOutput("stdout", "two VMs [####################] done\n"), Output(notebook, "run")[0]);
        Assert.Equal(new StreamOutput("stdout", "sweep [####################] done\n"), Output(notebook, "sweep")[0]);

        // Charts: drawn by plotly.js; one VM per drop-down entry; one slider step per value.
        Assert.All(new[] { "cpu", "memory", "exits", "sweep" }, cell => Assert.Contains("Plotly.newPlot", Html(cell)));
        Assert.Contains("\"updatemenus\"", Html("cpu"));
        Assert.Contains("VM = batch", Html("cpu"));
        Assert.Contains("The memory of web by page state", Html("memory"));
        Assert.Contains("VM exits by reason", Html("exits"));
        Assert.Contains("\"sliders\"", Html("sweep"));
        Assert.Contains("critical-iterations: ", Html("sweep"));

        // The site renders the Markdown output as prose.
        var page = File.ReadAllText(site.File("views.html"));
        Assert.Contains("<div class=\"output display markdown\"><p>The guest made <strong>2</strong> CSR exits, which cost ", page);
        Assert.Contains("class=\"virtlab traced-exit\"", page);
    }

    private static IReadOnlyList<CellOutput> Output(NotebookDocument notebook, string cell) => notebook.Cells.Single(c => c.Id == cell).Outputs;
}
