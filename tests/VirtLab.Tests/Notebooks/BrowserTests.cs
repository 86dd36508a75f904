using Microsoft.Playwright;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// Opens the built course in headless Chromium (Debian's chromium package, never a Playwright
/// download) as a student would: the index, then every lesson page. Each page loads without a
/// console error or a network request, every chart draws, every slider or drop-down of a sweep
/// chart changes what the chart shows when moved (and every lesson has one), and every link of the
/// sections sidebar lands on a heading. Screenshots of each page go to the temp folder
/// (<c>virtlab-site-*.png</c>) for a human to look at.
/// </summary>
[Collection(CourseCollection.Name)]
public sealed class BrowserTests(CourseFixture course)
{
    private const string DebianChromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>The full-page screenshot of a page of the site.</summary>
    public static string ScreenshotPath(string page) => Path.Combine(Path.GetTempPath(), $"virtlab-site-{page}.png");

    /// <summary>
    /// What a chart shows right now: which control step is active, which traces are visible, and
    /// the SVG of its plot area (the bars and lines actually drawn).
    /// </summary>
    private const string ChartState = """
        el => JSON.stringify({
            active: (el.layout.sliders || el.layout.updatemenus || [{}])[0].active,
            visible: el._fullData.map(t => t.visible === true),
            plot: (el.querySelector('.cartesianlayer .plot') || el).innerHTML,
        })
        """;

    [SkippableFact]
    public async Task Every_page_loads_cleanly_every_chart_draws_and_every_sweep_control_moves_its_chart()
    {
        var chromium = File.Exists(DebianChromium) ? DebianChromium : ExternalTools.Require("chromium");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
        });
        var site = Path.GetDirectoryName(course.Result.IndexPath)!;

        // The table of contents: one entry per lesson, linking to its page.
        var (index, indexProblems) = await OpenAsync(browser, course.Result.IndexPath);
        foreach (var lesson in course.Result.Lessons)
            Assert.Equal(1, await index.Locator($"ol.lessons > li h2 a[href='{CourseSite.PageFileName(lesson.Document)}']").CountAsync());
        await index.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("index"), FullPage = true });
        Assert.True(indexProblems.Count == 0, "index:\n" + string.Join("\n", indexProblems));
        await index.CloseAsync();

        foreach (var lesson in course.Result.Lessons)
        {
            var name = lesson.Document.Name;
            var (page, problems) = await OpenAsync(browser, Path.Combine(site, CourseSite.PageFileName(lesson.Document)));

            int charts = await page.Locator(".virtlab-chart").CountAsync();
            if (charts > 0)
            {
                await page.WaitForFunctionAsync(
                    "() => [...document.querySelectorAll('.virtlab-chart')].every(d => d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg'))",
                    null, new PageWaitForFunctionOptions { Timeout = 20_000 });
            }
            Assert.Equal(charts, await page.EvaluateAsync<int>("() => document.querySelectorAll('.js-plotly-plot').length"));

            // The sidebar's links land on headings of the page.
            var anchors = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('nav.sections a')].map(a => a.getAttribute('href'))");
            Assert.NotEmpty(anchors);
            foreach (var anchor in anchors)
                Assert.True(await page.EvaluateAsync<bool>("id => /^H[1-6]$/.test(document.getElementById(id)?.tagName)", anchor.TrimStart('#')), $"{name}: sidebar link {anchor} has no heading");


            // Every sweep chart (lessons.md: at least one per lesson) changes when its control moves.
            int moved = 0;
            for (int i = 0; i < charts; i++)
            {
                var chart = page.Locator(".virtlab-chart").Nth(i);
                var before = await chart.EvaluateAsync<string>(ChartState);
                if (await chart.Locator(".slider-container").CountAsync() > 0) await MoveSliderToTheEndAsync(page, chart);
                else if (await chart.Locator(".updatemenu-container").CountAsync() > 0) await PickLastMenuEntryAsync(chart);
                else continue;

                // Plotly moves the control first and restyles the traces a moment later: wait for all three to change.
                await chart.EvaluateAsync($"(el, before) => new Promise((resolve, reject) => {{ const was = JSON.parse(before), t0 = Date.now(); (function poll() {{ const now = JSON.parse(({ChartState})(el)); if (['active', 'visible', 'plot'].every(k => JSON.stringify(now[k]) !== JSON.stringify(was[k]))) resolve(); else if (Date.now() - t0 > 15000) reject(new Error('the chart did not change: ' + JSON.stringify(now.active) + ' ' + JSON.stringify(now.visible))); else setTimeout(poll, 50); }})(); }})", before);
                var after = System.Text.Json.JsonDocument.Parse(await chart.EvaluateAsync<string>(ChartState)).RootElement;
                var was = System.Text.Json.JsonDocument.Parse(before).RootElement;
                Assert.NotEqual(was.GetProperty("active").ToString(), after.GetProperty("active").ToString());
                Assert.NotEqual(was.GetProperty("visible").ToString(), after.GetProperty("visible").ToString());
                Assert.NotEqual(was.GetProperty("plot").GetString(), after.GetProperty("plot").GetString());
                moved++;
                if (moved == 1) await chart.Locator("xpath=..").ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath(name + "-sweep-moved") });
            }
            Assert.True(moved > 0, $"{name}: no chart with a slider or drop-down (lessons.md asks for one per lesson)");
            // Last: a full-page screenshot resizes the viewport, and Plotly's charts redraw for it.
            // A long lesson page takes a while to paint in full on a loaded machine; the default 30 s is not enough.
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(name), FullPage = true, Timeout = 180_000 });

            if (name == "00-welcome")
            {
                Assert.True(charts >= 3, $"lesson 00 should have at least three charts, found {charts}");
                // Close-up for a human to look at: the register view after the run.
                await page.Locator(".virtlab.hart").Nth(1).ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("00-registers") });
            }
            Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));
            await page.CloseAsync();
        }
    }

    /// <summary>Opens a page of the site and collects console errors and warnings, page errors and any request that leaves the disk.</summary>
    private static async Task<(IPage Page, List<string> Problems)> OpenAsync(IBrowser browser, string file)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") problems.Add($"console {message.Type}: {message.Text}"); };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url} {request.Failure}");
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("file://", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                problems.Add("network request: " + request.Url);
        };
        var response = await page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);
        return (page, problems);
    }

    /// <summary>Clicks the slider's rail near its right end, as a student would to jump to the last value.</summary>
    private static async Task MoveSliderToTheEndAsync(IPage page, ILocator chart)
    {
        var rail = chart.Locator(".slider-rail-touch-rect").First;
        await rail.ScrollIntoViewIfNeededAsync();
        var box = await rail.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException("the slider's rail is not on screen");
        await page.Mouse.ClickAsync(box.X + box.Width - 3, box.Y + box.Height / 2);
    }

    /// <summary>Picks the drop-down's last entry, as a click on it would.</summary>
    // Neither a pointer click nor a dispatched click on the SVG menu header opens Plotly's
    // drop-down in headless Chromium (the entries are never drawn), so the test checks that the
    // menu is drawn and then does what a click on an entry does in Plotly.js: run the entry's
    // method with its arguments and mark it active. What is tested is that every entry carries
    // the right traces; the menu's drawing is Plotly's.
    private static async Task PickLastMenuEntryAsync(ILocator chart)
    {
        Assert.True(await chart.Locator(".updatemenu-header-group").CountAsync() > 0, "the drop-down is not drawn");
        await chart.EvaluateAsync("""
            el => {
                const menu = el.layout.updatemenus[0], last = menu.buttons.length - 1, entry = menu.buttons[last];
                return Plotly[entry.method](el, ...entry.args).then(() => Plotly.relayout(el, { 'updatemenus[0].active': last }));
            }
            """);
    }
}
