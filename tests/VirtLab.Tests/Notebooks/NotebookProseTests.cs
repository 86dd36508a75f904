using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;
using VirtLab.Interactive;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// <c>Markdown($"...")</c> (prose with computed numbers, shown as <c>text/markdown</c>) and the
/// notebook progress bar (the same text on every run).
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class NotebookProseTests
{
    [Fact]
    public void Markdown_is_shown_as_text_markdown_with_numbers_in_the_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            double ready = 75.25;
            var prose = Notebook.Markdown($"A busy vCPU waits **{ready:0.0} %** of {12345:N0} ms.");
            Assert.Equal("A busy vCPU waits **75.3 %** of 12,345 ms.", prose.Text);
            Assert.Equal(prose.Text, prose.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Formatter.ResetToDefault();
        var shown = Notebook.Markdown($"*one* {1}");   // registers the formatters itself
        Assert.Equal([MarkdownText.MimeType], Formatter.GetPreferredMimeTypesFor(typeof(MarkdownText)));
        Assert.Equal("*one* 1", Formatter.ToDisplayString(shown, MarkdownText.MimeType));
        Assert.Equal("*one* 1", Formatter.ToDisplayString(shown, PlainTextFormatter.MimeType));
    }

    [Fact]
    public void The_progress_bar_grows_in_fixed_steps_only_forwards_and_ends_once()
    {
        var output = new StringWriter();
        var bar = new ProgressBar("sweep", steps: 10, writer: output);
        Assert.False(bar.IsDone);
        bar.Report(0);
        Assert.Equal("sweep [", output.ToString());
        bar.Report(0.25);
        bar.Report(0.1);        // backwards: nothing
        bar.Report(double.NaN);
        Assert.Equal("sweep [##", output.ToString());
        bar.Report(0.999);
        bar.Report(1);
        bar.Report(1);          // after the end: nothing
        Assert.Equal("sweep [##########] done\n", output.ToString());
        Assert.True(bar.IsDone);
        Assert.Equal(1, bar.Fraction);

        // A run that jumps straight to the end still draws the whole bar.
        var quick = new StringWriter();
        new ProgressBar("quick", writer: quick).Report(1);
        Assert.Equal("quick [" + new string('#', ProgressBar.DefaultSteps) + "] done\n", quick.ToString());

        // Notebook.Progress writes to the console, which the notebook captures as the cell's output.
        var console = Console.Out;
        var captured = new StringWriter();
        try
        {
            Console.SetOut(captured);
            VirtLab.Experiments.PopekGoldberg.Run(new() { Rounds = 1, CriticalIterations = 100 }, Notebook.Progress("popek-goldberg", steps: 4));
        }
        finally
        {
            Console.SetOut(console);
        }
        Assert.Equal("popek-goldberg [####] done\n", captured.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressBar("x", steps: 0));
    }
}
