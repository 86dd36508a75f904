using System.Text.RegularExpressions;
using VirtLab.Experiments;

namespace VirtLab.Tests.Cli;

/// <summary><c>virtlab experiment NAME</c>: options, formats and errors, run in-process.</summary>
public class ExperimentCommandTests
{
    [Fact]
    public void IdleTaxPrintsOneRowPerVmAndTauAsCsv()
    {
        var result = CliHarness.Run("experiment", "idle-tax", "--taus", "0,0.5", "--duration-ms", "250", "--format", "csv", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("tau,vm,mapped_end,active_est_pages,active_fraction,ballooned_end,balloon_target", result.Output);
        var rows = result.Output.Split('\n').Where(l => l.StartsWith("0,") || l.StartsWith("0.5,")).ToList();
        Assert.Contains(rows, r => r.StartsWith("0,idle,"));
        Assert.Contains(rows, r => r.StartsWith("0.5,active,"));
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void IdleTaxJsonIsTheSameForTheSameSeed()
    {
        string[] args = ["experiment", "idle-tax", "--taus", "0.75", "--duration-ms", "100", "--format", "json", "--quiet", "--seed", "3"];
        var one = CliHarness.Run(args);
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains("\"experiment\": \"idle-tax\"", one.Output);
        Assert.Equal(one.Output, CliHarness.Run(args).Output);
    }

    [Fact]
    public void AnInvalidTaxRateGetsOneLineNamingTheOption()
    {
        var result = CliHarness.Run("experiment", "idle-tax", "--taus", "0,1", "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("virtlab experiment idle-tax: invalid configuration: taus: 1 is not a tax rate in [0, 1)", result.Error.Trim());
        Assert.Equal("", result.Output);
    }

    public static TheoryData<string> Names => [.. BuiltInExperiments.All.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void HelpDescribesEveryOptionOfTheOptionsRecord(string name)
    {
        var result = CliHarness.Run("experiment", name, "--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        // Help wraps long descriptions; compare with runs of white space made one.
        string help = Regex.Replace(result.Output, @"\s+", " ");
        foreach (var option in BuiltInExperiments.Find(name)!.Options)
        {
            Assert.Contains($"--{option.Name} <{option.ValueHint}>", help);
            Assert.Contains(option.Description, help);
        }
        Assert.Contains("--format", help);
        Assert.Contains("--quiet", help);
        Assert.Contains("--seed <N>", help);
    }

    [Fact]
    public void ListPrintsEveryExperimentWithWhatItMeasures()
    {
        var result = CliHarness.Run("experiment", "--list");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(BuiltInExperiments.All.Select(e => e.Name), lines.Select(l => l.Split(' ')[0]));
        Assert.All(BuiltInExperiments.All, e => Assert.Contains(e.Description, result.Output));
        Assert.Equal(2, CliHarness.Run("experiment").ExitCode);
    }

    [Fact]
    public void OptionsKeepTheirDocumentedNamesAndTextIsReadByTheirType()
    {
        var result = CliHarness.Run("experiment", "cpu-overcommit", "--pcpus", "1", "--ratios", "1,2", "--duration-ms", "40", "--kind", "type2",
            "--busy-workload", "alu", "--idle-workload", "io:work=100,sleep=3", "--seed", "2", "--format", "json", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"vcpus\": 2", result.Output);      // ratio 2 on one pCPU: two VMs
        var bad = CliHarness.Run("experiment", "cpu-overcommit", "--ratios", "1,x", "--quiet");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("virtlab experiment cpu-overcommit: invalid configuration: ratios: 'x' is not a number", bad.Error.Trim());
    }

    [Fact]
    public void OvercommitRatioSearchRunsAMixOfYourOwnAndPrintsTheAnswerPerThreshold()
    {
        var result = CliHarness.Run("experiment", "overcommit-ratio-search", "--mixes", "batch;busyweb=cpu+io:work=2000,sleep=2+io:work=2000,sleep=2",
            "--pcpus", "2", "--ratios", "1,2,3", "--thresholds", "5", "--duration-ms", "20", "--format", "csv", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("# table: steps\nmix,vms,ratio,worst_ready_pct,mean_ready_pct,slowdown,hosts_per_100_vms\n", result.Output.Replace("\r", ""));
        Assert.Contains("# table: highest_ratio\nmix,threshold_pct,highest_ratio,vms,crossed\n", result.Output.Replace("\r", ""));
        Assert.Contains("\nbatch,5,1,2,yes", result.Output);                  // one busy VM per pCPU is the most batch takes
        Assert.Contains("\nbusyweb,2,1,", result.Output);                     // the walk of the mix of our own starts at 2 VMs
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void OvercommitTimelineAndUsageRunFromTheCommandLineTheSameForASeed()
    {
        string[] timeline = ["experiment", "overcommit-timeline", "--vms", "a,b", "--vcpus", "2,1", "--workloads", "cpu;io:work=2000,sleep=2",
            "--pcpus", "2", "--duration-ms", "12", "--sample-ms", "4", "--format", "json", "--quiet", "--seed", "5"];
        var one = CliHarness.Run(timeline);
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains("\"experiment\": \"overcommit-timeline\"", one.Output);
        Assert.Contains("\"b/vcpu0\"", one.Output);
        Assert.Equal(one.Output, CliHarness.Run(timeline).Output);
        var usage = CliHarness.Run("experiment", "overcommit-usage", "--vms", "big,small", "--workloads", "wset:pages=100,touch=120;cpu",
            "--vm-pages", "200", "--duration-ms", "10", "--quiet");
        Assert.True(usage.ExitCode == 0, usage.ToString());
        Assert.Contains("- memory touched: ", usage.Output);
        Assert.Matches(@"big\s+wset:pages=100,touch=120,delay=0\s+200\s+\d+\s", usage.Output);
    }

    [Fact]
    public void OvercommitExperimentsRefuseListsThatDoNotMatchNamingTheOption()
    {
        var result = CliHarness.Run("experiment", "overcommit-timeline", "--vms", "a,b,c", "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("virtlab experiment overcommit-timeline: invalid configuration: vcpus: has 4 values for the 3 VMs of --vms: give one per VM", result.Error.Trim());
        var mix = CliHarness.Run("experiment", "overcommit-ratio-search", "--mixes", "web;cloud", "--quiet");
        Assert.Equal(2, mix.ExitCode);
        Assert.StartsWith("virtlab experiment overcommit-ratio-search: invalid configuration: mixes: 'cloud' is not a mix", mix.Error.Trim());
        Assert.Equal("", mix.Output);
    }
}
