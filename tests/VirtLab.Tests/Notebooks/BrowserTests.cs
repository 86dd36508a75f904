using Microsoft.Playwright;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// Opens every lesson page of the built course in headless Chromium (Debian's chromium package,
/// never a Playwright download) and checks it loads cleanly and that every chart has drawn.
/// </summary>
[Collection(CourseCollection.Name)]
public sealed class BrowserTests(CourseFixture course)
{
    private const string DebianChromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static string ScreenshotPath => Path.Combine(Path.GetTempPath(), "virtlab-00-welcome.png");

    [SkippableFact]
    public async Task Every_lesson_page_loads_without_errors_and_every_chart_draws()
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
        foreach (var lesson in course.Result.Lessons)
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
            var problems = new List<string>();
            page.Console += (_, message) => { if (message.Type is "error" or "warning") problems.Add($"console {message.Type}: {message.Text}"); };
            page.PageError += (_, error) => problems.Add("page error: " + error);
            page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url} {request.Failure}");
            page.Request += (_, request) =>
            {
                if (!request.Url.StartsWith("file://", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                    problems.Add("network request: " + request.Url);
            };

            var url = new Uri(Path.Combine(site, CourseSite.PageFileName(lesson.Document))).AbsoluteUri;
            var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            Assert.NotNull(response);

            int charts = await page.Locator(".virtlab-chart").CountAsync();
            if (charts > 0)
            {
                await page.WaitForFunctionAsync(
                    "() => [...document.querySelectorAll('.virtlab-chart')].every(d => d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg'))",
                    null, new PageWaitForFunctionOptions { Timeout = 20_000 });
            }
            int drawn = await page.Locator(".js-plotly-plot svg.main-svg >> nth=0").CountAsync();
            Assert.True(charts == 0 || drawn > 0, $"{lesson.Document.Name}: charts did not draw");
            Assert.Equal(charts, await page.EvaluateAsync<int>("() => document.querySelectorAll('.js-plotly-plot').length"));

            if (lesson.Document.Name == "00-welcome")
            {
                Assert.True(charts >= 3, $"lesson 00 should have at least three charts, found {charts}");
                Assert.True(await page.Locator(".js-plotly-plot .slider-container").CountAsync() >= 1, "lesson 00 has a chart with a slider");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
                // Close-ups for a human to look at: the register view after the run, and the sweep chart.
                await page.Locator(".virtlab.hart").Nth(1).ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "virtlab-00-registers.png") });
                await page.Locator(".virtlab-chart").Last.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "virtlab-00-sweep.png") });
            }
            Assert.True(problems.Count == 0, $"{lesson.Document.Name}:\n" + string.Join("\n", problems));
            await page.CloseAsync();
        }
    }
}
