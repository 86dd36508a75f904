using System.Reflection;
using System.Text.RegularExpressions;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

[Collection(NotebookRunnerCollection.Name)]
public class CourseSiteTests
{
    private const string FakePlotly = "/* stand-in for plotly.js */ window.Plotly = { newPlot: function () {} };";

    [Fact]
    public async Task Course_runs_every_lesson_in_file_order_and_builds_a_linked_offline_site()
    {
        using var lessons = new TestNotebookFolder("01-basics.ipynb", "plotly.ipynb", "lesson.dib");
        using var site = new TestNotebookFolder();
        var progress = new StringWriter();
        var options = new CourseOptions { Site = new SiteOptions { Title = "Test course", Plotly = PlotlyScript.FromText(FakePlotly) } };

        var result = await Course.RunAsync(lessons.Path, site.Path, options, progress);

        Assert.Equal(Path.Combine(site.Path, "index.html"), result.IndexPath);
        Assert.Equal(["01-basics", "lesson", "plotly"], result.Lessons.Select(l => l.Document.Name));
        Assert.Equal(2, result.ExitCode); // 01-basics has failing cells on purpose
        Assert.Contains("[plotly] cell 1/1 ... ", progress.ToString());

        var index = File.ReadAllText(result.IndexPath);
        Assert.Contains("<h1>Test course</h1>", index);
        Assert.Contains("<a href=\"01-basics.html\">Basics of the runner</a>", index);
        Assert.Contains("<a href=\"lesson.html\">A lesson in .dib</a>", index);
        Assert.Contains("<a href=\"plotly.html\">A chart</a>", index);

        var basics = File.ReadAllText(site.File("01-basics.html"));
        Assert.Contains("<h1 id=\"basics-of-the-runner\">Basics of the runner</h1>", basics); // markdown rendered
        Assert.Contains("href=\"02-packages.html\"", basics); // link to a notebook points at its page
        Assert.Contains("<pre class=\"output stream stdout\">hello from stdout\n</pre>", basics);
        Assert.Contains("<div class=\"output display html\"><b>bold</b></div>", basics); // HTML inline
        Assert.Contains("<pre class=\"output display text\">just text</pre>", basics);
        Assert.Contains("class=\"output error\"", basics);
        Assert.Contains("error CS0200", basics);
        Assert.Contains("&quot;abc&quot;.Length = 3;", basics); // source escaped
        Assert.Contains("<a rel=\"next\" href=\"lesson.html\">", basics);
        Assert.Contains("<a rel=\"index\" href=\"index.html\">", basics);
        Assert.DoesNotContain("rel=\"prev\"", basics);
        Assert.DoesNotContain("plotly.min.js", basics); // no chart, no script

        var middle = File.ReadAllText(site.File("lesson.html"));
        Assert.Contains("<a rel=\"prev\" href=\"01-basics.html\">", middle);
        Assert.Contains("<a rel=\"next\" href=\"plotly.html\">", middle);

        var chart = File.ReadAllText(site.File("plotly.html"));
        Assert.Contains("<script src=\"assets/plotly.min.js\"></script>", chart);
        Assert.Contains("<script src=\"assets/plotly.min.js\"></script><script>Plotly.newPlot", chart); // the output's CDN reference made local
        Assert.Equal(FakePlotly, File.ReadAllText(site.File("assets/plotly.min.js")));
        Assert.True(File.Exists(site.File("assets/site.css")));
        Assert.True(File.Exists(site.File("notebooks/plotly.ipynb")));
        Assert.Contains("href=\"notebooks/plotly.ipynb\"", chart);

        AssertNoCdn(site.Path);
    }

    [Fact]
    public void Site_renders_executed_notebooks_in_the_given_order()
    {
        var first = NotebookDocument.Load(Path.Combine(TestNotebookFolder.Fixtures, "lesson.dib"));
        var second = NotebookDocument.Load(Path.Combine(TestNotebookFolder.Fixtures, "timeout.ipynb"));
        using var site = new TestNotebookFolder();

        var index = CourseSite.Build([first, second], site.Path, new SiteOptions { Plotly = PlotlyScript.FromText(FakePlotly), IncludeNotebooks = false });

        var html = File.ReadAllText(index);
        Assert.True(html.IndexOf("lesson.html", StringComparison.Ordinal) < html.IndexOf("timeout.html", StringComparison.Ordinal));
        Assert.False(Directory.Exists(site.File("notebooks")));
        Assert.Contains("<a rel=\"next\" href=\"timeout.html\">Next →: A cell that never ends</a>", File.ReadAllText(site.File("lesson.html")));
    }

    [SkippableFact]
    public void Plotly_js_comes_from_the_Plotly_NET_assembly_resource()
    {
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dll = Directory.Exists(Path.Combine(home, "plotly.net", "6.0.0"))
            ? Directory.GetFiles(Path.Combine(home, "plotly.net", "6.0.0"), "Plotly.NET.dll", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        Skip.If(dll is null, "Plotly.NET 6.0.0 is not in the NuGet cache");

        var script = PlotlyScript.FromAssembly(System.Reflection.Assembly.LoadFrom(dll!));

        Assert.NotNull(script);
        Assert.EndsWith("plotly-2.28.0.min.js", script.Origin);
        var path = Path.Combine(Path.GetTempPath(), $"plotly-{Guid.NewGuid():N}.js");
        try
        {
            script.WriteTo(path);
            Assert.True(new FileInfo(path).Length > 1_000_000);
            Assert.Contains("plotly.js v2.28.0", File.ReadAllText(path)[..2000]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>No page may load anything from the network: no http(s) script or stylesheet, no CDN host at all.</summary>
    private static void AssertNoCdn(string siteDirectory)
    {
        foreach (var file in Directory.EnumerateFiles(siteDirectory, "*.html", SearchOption.AllDirectories))
        {
            var html = File.ReadAllText(file);
            Assert.DoesNotMatch(new Regex("cdn\\.|cdnjs|jsdelivr|unpkg", RegexOptions.IgnoreCase), html);
            Assert.DoesNotMatch(new Regex("<(script|link)[^>]+(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase), html);
        }
    }
}
