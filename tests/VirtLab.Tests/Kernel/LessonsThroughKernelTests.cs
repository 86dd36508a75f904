using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VirtLab.Notebooks;
using VirtLab.Tests.Notebooks;

namespace VirtLab.Tests.Kernel;

/// <summary>
/// Every lesson in notebooks/ executed by nbclient through VirtLab's kernel, the way a class's
/// JupyterHub or a grading job runs them; compared with VirtLab's own runner; rendered by
/// nbconvert and looked at in Chromium.
/// </summary>
[Collection(CourseCollection.Name)]
public sealed partial class LessonsThroughKernelTests(CourseFixture course)
{
    private static readonly string Output = Path.Combine(Path.GetTempPath(), "virtlab-nbclient-" + Guid.NewGuid().ToString("N")[..8]);

    private static (string Python, string JupyterPath) Setup(params string[] modules)
    {
        var python = JupyterClients.RequirePython(modules);
        Directory.CreateDirectory(Output);
        return (python, JupyterClients.InstallKernel(Path.Combine(Output, "prefix")));
    }

    private static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    private static IEnumerable<JsonObject> CodeCells(JsonObject notebook) =>
        notebook["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string?)c["cell_type"] == "code");

    private static string Text(JsonNode? node) => node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    [GeneratedRegex(@"\d+\.\d+")]
    private static partial Regex DecimalNumber();

    /// <summary>
    /// What a cell showed, apart from timings (decimal numbers such as MIPS are masked): stream text
    /// (consecutive pieces joined, as front ends show them), each value's MIME types and plain text, errors.
    /// </summary>
    private static List<string> Shown(IEnumerable<CellOutput> outputs) => outputs.Aggregate(new List<CellOutput>(), (merged, output) =>
    {
        if (output is StreamOutput next && merged.Count > 0 && merged[^1] is StreamOutput last && last.Name == next.Name)
            merged[^1] = last with { Text = last.Text + next.Text };
        else
            merged.Add(output);
        return merged;
    }).Select(output => output switch
    {
        StreamOutput stream => $"{stream.Name}: {stream.Text}",
        DisplayOutput display => $"value [{string.Join(", ", display.Data.Keys.Order(StringComparer.Ordinal))}]: {DecimalNumber().Replace(display.PlainText ?? "", "#")}",
        ErrorOutput error => $"error: {error.Value}",
        _ => "?",
    }).ToList();

    [SkippableFact]
    public void Nbclient_runs_every_lesson_through_the_kernel_with_no_error_and_the_outputs_match_VirtLabs_runner()
    {
        var (python, jupyterPath) = Setup("nbclient", "nbformat");
        var lessons = Course.LessonFiles(course.NotebooksDirectory).Where(p => p.EndsWith(".ipynb", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lessons);
        var executed = Path.Combine(Output, "nbclient");
        JupyterClients.Run(python, [JupyterClients.Script("run_notebooks.py"), executed, .. lessons], jupyterPath, course.NotebooksDirectory, TimeSpan.FromMinutes(20));

        var timings = Load(Path.Combine(executed, "timings.json"));
        foreach (var lesson in lessons)
        {
            var name = Path.GetFileName(lesson);
            Console.WriteLine($"nbclient {name}: {(double)timings[name]!:0.0} s");
            var throughKernel = NotebookDocument.Load(Path.Combine(executed, name));
            var errors = throughKernel.Cells.SelectMany(c => c.Outputs).Where(o => o is ErrorOutput || o is StreamOutput { Name: "stderr" }).ToList();
            Assert.True(errors.Count == 0, $"{name}: " + string.Join("\n", errors));

            var byRunner = course.Result.Lessons.Single(l => l.Document.Name == Path.GetFileNameWithoutExtension(name)).Document;
            var kernelCells = throughKernel.Cells.Where(c => c.Kind == CellKind.Code).ToList();
            var runnerCells = byRunner.Cells.Where(c => c.Kind == CellKind.Code).ToList();
            Assert.Equal(runnerCells.Count, kernelCells.Count);
            for (var i = 0; i < kernelCells.Count; i++)
                Assert.Equal(Shown(runnerCells[i].Outputs), Shown(kernelCells[i].Outputs));
        }
    }

    [SkippableFact]
    public async Task Nbconvert_executes_lesson_00_and_its_html_shows_the_charts_in_Chromium()
    {
        var (python, jupyterPath) = Setup("nbconvert", "nbclient");
        var lesson = Path.Combine(course.NotebooksDirectory, "00-welcome.ipynb");
        var converted = Path.Combine(Output, "nbconvert");
        JupyterClients.Run(python, ["-m", "nbconvert", "--to", "notebook", "--execute", lesson, "--output-dir", converted,
            "--ExecutePreprocessor.timeout=300", "--ExecutePreprocessor.startup_timeout=300"], jupyterPath, course.NotebooksDirectory, TimeSpan.FromMinutes(10));
        var executed = Path.Combine(converted, "00-welcome.ipynb");
        var notebook = Load(executed);
        Assert.All(CodeCells(notebook), cell => Assert.DoesNotContain(cell["outputs"]!.AsArray(), o => (string?)o!["output_type"] == "error"));
        Assert.Contains("primes found: 25", string.Concat(CodeCells(notebook).SelectMany(c => c["outputs"]!.AsArray()).Select(o => Text(o!["text"]))));

        JupyterClients.Run(python, ["-m", "nbconvert", "--to", "html", executed, "--output-dir", converted], jupyterPath, converted, TimeSpan.FromMinutes(5));
        var html = Path.Combine(converted, "00-welcome.html");
        Assert.True(File.Exists(html));

        var chromium = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : ExternalTools.Require("chromium");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        await page.GotoAsync(new Uri(html).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
        await page.WaitForFunctionAsync(
            "() => document.querySelectorAll('.virtlab-chart').length >= 3 && [...document.querySelectorAll('.virtlab-chart')].every(d => d.querySelector('svg.main-svg'))",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var screenshot = Path.Combine(Path.GetTempPath(), "virtlab-00-welcome-nbconvert.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Console.WriteLine($"screenshot of lesson 00 executed by the kernel and rendered by nbconvert: {screenshot}");
        Assert.True(await page.Locator(".js-plotly-plot .slider-container").CountAsync() >= 1, "the sweep chart's slider is drawn");
        Assert.DoesNotContain(pageErrors, e => e.Contains("Plotly", StringComparison.Ordinal));
    }
}
