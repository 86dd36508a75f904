using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// The course site's table of contents and section sidebar: what a lesson's outline is made of
/// (its "What you will learn" list, <c>metadata.virtlab.minutes</c> and <c>.runs</c>, its
/// <c>##</c> headings), how the index and the lesson pages show it, and the per-lesson times in
/// the course summary.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed partial class CourseContentsTests
{
    private const string FakePlotly = "/* stand-in for plotly.js */ window.Plotly = { newPlot: function () {} };";

    [GeneratedRegex("id=\"(?<id>[^\"]+)\"")]
    private static partial Regex ElementId();

    private static NotebookDocument Lesson(string name, JsonObject? virtlab, params string[] markdownCells)
    {
        var metadata = new JsonObject();
        if (virtlab is not null) metadata[LessonOutline.MetadataKey] = virtlab;
        var cells = markdownCells.Select(source => new NotebookCell(CellKind.Markdown, source, KernelNames.Markdown));
        return new NotebookDocument(cells, metadata, Path.Combine(Path.GetTempPath(), name + ".ipynb"));
    }

    private static NotebookDocument Ballooning() => Lesson("03-ballooning",
        new JsonObject { ["minutes"] = 25, ["runs"] = new JsonArray("the `ballooning` experiment, 3 VMs", "a sweep over **tau**") },
        "# Memory ballooning\n\nWhy a hypervisor cannot see free pages.\n\n## What you will learn\n\n- explain why the hypervisor cannot see\n  which guest pages are free\n- read a `balloon` chart\n- compare ballooning with [swapping](04-overcommit.ipynb)\n\nMore prose.\n\n- not a goal",
        "## The idea\n\nText.\n\n### A detail\n\n## Try it yourself",
        "## The idea\n\nA second section with the same title.\n\n## Check your understanding");

    [Fact]
    public void The_outline_comes_from_the_goals_list_the_metadata_and_the_level_two_headings()
    {
        var outline = LessonOutline.Of(Ballooning());

        Assert.Equal("Memory ballooning", outline.Title);
        Assert.Equal(["explain why the hypervisor cannot see which guest pages are free", "read a `balloon` chart", "compare ballooning with [swapping](04-overcommit.ipynb)"], outline.Goals);
        Assert.Equal(25, outline.Minutes);
        Assert.Equal(["the `ballooning` experiment, 3 VMs", "a sweep over **tau**"], outline.Runs);
        Assert.Equal(
            [new("What you will learn", "what-you-will-learn"), new("The idea", "the-idea"), new("Try it yourself", "try-it-yourself"),
             new("The idea", "the-idea-2"), new("Check your understanding", "check-your-understanding")],
            outline.Sections);
        Assert.Empty(outline.Problems);
    }

    [Fact]
    public void A_missing_or_malformed_outline_is_reported_in_words()
    {
        Assert.Equal(["no \"What you will learn\" list", "no metadata.virtlab (the index shows no time and nothing to run for it)"],
            LessonOutline.Of(Lesson("bare", null, "# Bare\n\n## A section")).Problems);

        var malformed = LessonOutline.Of(Lesson("bad", new JsonObject { ["minutes"] = "soon", ["runs"] = new JsonArray("ok", 3) },
            "# Bad\n\n## What you will learn:\n\n* one goal"));
        Assert.Equal(["one goal"], malformed.Goals); // a trailing colon on the heading is fine
        Assert.Null(malformed.Minutes);
        Assert.Equal(["ok"], malformed.Runs);
        Assert.Equal(["metadata.virtlab.minutes should be a number of minutes (1 to 999), found \"soon\"",
                      "metadata.virtlab.runs should hold short phrases (strings), found 3"], malformed.Problems);
    }

    [Fact]
    public void The_index_is_a_table_of_contents_and_each_lesson_page_has_a_sidebar_of_its_sections()
    {
        using var site = new TestNotebookFolder();
        var bare = Lesson("04-bare", null, "# Bare lesson\n\nNo goals, no metadata.");

        var indexPath = CourseSite.Build([Ballooning(), bare], site.Path, new SiteOptions { Plotly = PlotlyScript.FromText(FakePlotly), IncludeNotebooks = false });

        var index = File.ReadAllText(indexPath);
        Assert.Contains("2 lessons, about 25 minutes in all.", index);
        Assert.Contains("<h2><a href=\"03-ballooning.html\">Memory ballooning</a><span class=\"minutes\">about 25 min</span></h2>", index);
        Assert.Contains("<div class=\"label\">What you will learn</div><ul><li>explain why the hypervisor cannot see which guest pages are free</li>"
                        + "<li>read a <code>balloon</code> chart</li><li>compare ballooning with <a href=\"04-overcommit.html\">swapping</a></li></ul>", index);
        Assert.Contains("<div class=\"label\">What you will run</div><ul><li>the <code>ballooning</code> experiment, 3 VMs</li><li>a sweep over <strong>tau</strong></li></ul>", index);
        Assert.Contains("<a href=\"03-ballooning.html#try-it-yourself\">Try it yourself</a>", index);
        Assert.Contains("<h2><a href=\"04-bare.html\">Bare lesson</a></h2>", index); // no time, no lists, still listed

        var page = File.ReadAllText(site.File("03-ballooning.html"));
        var sidebar = page[page.IndexOf("<nav class=\"sections\"", StringComparison.Ordinal)..page.IndexOf("<main>", StringComparison.Ordinal)];
        var links = Regex.Matches(sidebar, "href=\"#(?<id>[^\"]+)\">(?<title>[^<]+)<").Select(m => (m.Groups["id"].Value, m.Groups["title"].Value)).ToList();
        Assert.Equal([("what-you-will-learn", "What you will learn"), ("the-idea", "The idea"), ("try-it-yourself", "Try it yourself"), ("the-idea-2", "The idea"), ("check-your-understanding", "Check your understanding")], links);
        Assert.Contains("About 25 minutes", sidebar);
        // Every id on the page is unique, and every sidebar link has its heading.
        var ids = ElementId().Matches(page).Select(m => m.Groups["id"].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(links, link => Assert.Matches($"<h2 id=\"{link.Item1}\">", page));
        Assert.Contains("<h3 id=\"a-detail\">", page);
        Assert.DoesNotContain("<nav class=\"sections\"", File.ReadAllText(site.File("04-bare.html"))); // no sections, no sidebar
    }

    [Fact]
    public async Task The_course_summary_gives_each_lessons_time_and_flags_one_over_the_limit()
    {
        using var lessons = new TestNotebookFolder("lesson.dib", "plotly.ipynb");
        using var site = new TestNotebookFolder();
        var progress = new StringWriter();
        var options = new CourseOptions { Site = new SiteOptions { Plotly = PlotlyScript.FromText(FakePlotly) }, LessonTimeLimit = TimeSpan.FromTicks(1) };

        var result = await Course.RunAsync(lessons.Path, site.Path, options, progress);

        var log = progress.ToString();
        Assert.Contains("[course] execution time per lesson, first cell to last on a started kernel (limit 0.0 s each):", log);
        foreach (var lesson in result.Lessons)
            Assert.Matches($@"\[course\]   {lesson.Document.Name} +\d+\.\d s   \(waited \d+\.\d s for its kernel\)  OVER 0\.0 s", log);
        Assert.Matches(@"\[course\]   total +\d+\.\d s", log);
        Assert.Contains("[course] plotly: table of contents: no \"What you will learn\" list (see notebooks/README.md)", log);

        // Under a limit they keep (an hour: the test must not depend on how loaded the machine is) they are not flagged.
        progress = new StringWriter();
        await Course.RunAsync(lessons.Path, site.Path, options with { LessonTimeLimit = TimeSpan.FromHours(1) }, progress);
        Assert.Contains("(limit 3600.0 s each)", progress.ToString());
        Assert.DoesNotContain("OVER", progress.ToString());
        Assert.Equal(TimeSpan.FromSeconds(10), Course.LessonTimeLimit);   // lessons.md: each lesson under 10 s
    }
}

/// <summary>Every lesson in notebooks/ fills in its table-of-contents entry (the convention in notebooks/README.md).</summary>
[Collection(CourseCollection.Name)]
public sealed class LessonOutlineTests(CourseFixture course)
{
    [Fact]
    public void Every_lesson_has_three_to_five_goals_a_time_what_it_runs_and_sections()
    {
        foreach (var lesson in course.Result.Lessons)
        {
            var outline = LessonOutline.Of(lesson.Document);
            var name = lesson.Document.Name;
            Assert.True(outline.Problems.Count == 0, $"{name}: {string.Join("; ", outline.Problems)}");
            Assert.InRange(outline.Goals.Count, 3, 5); // lessons.md: "three to five goals"
            Assert.NotNull(outline.Minutes);
            Assert.NotEmpty(outline.Runs);
            Assert.NotEmpty(outline.Sections);
        }
    }
}
