using Microsoft.DotNet.Interactive.Formatting;
using VirtLab.Experiments;
using VirtLab.Interactive;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Notebooks;

/// <summary>An experiment's result says how to make the same run from the command line, and that command does make it.</summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class ExperimentResultViewTests
{
    [Fact]
    public void A_result_shows_the_command_line_that_reproduces_it()
    {
        var result = PopekGoldberg.Run(new() { Rounds = 3, CriticalIterations = 500, Seed = 7 });
        var command = ResultViews.CommandLine(result);
        Assert.Equal("virtlab experiment popek-goldberg --rounds 3 --critical-iterations 500 --seed 7", command);
        VirtLabFormatters.Register();
        Assert.Contains($"the same run from the command line: <code>{command}</code>", Formatter.ToDisplayString(result, HtmlFormatter.MimeType));

        var cli = CliHarness.Run([.. command!.Split(' ').Skip(1), "--format", "csv"]);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal(result.ToCsv(), cli.Output);

        // Lists and workloads are written as the command line reads them.
        Assert.Contains("--ratios 1,2 ", ResultViews.CommandLine(CpuOvercommit.Run(new() { Ratios = [1, 2], PhysicalCpus = 1, DurationMilliseconds = 20 })));
    }
}
