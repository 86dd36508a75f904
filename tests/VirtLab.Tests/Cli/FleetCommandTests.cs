using System.Text.Json;
using VirtLab.Tests.Fleet;

namespace VirtLab.Tests.Cli;

/// <summary><c>virtlab fleet</c>: scenarios, formats, progress and errors, run in-process.</summary>
public sealed class FleetCommandTests : IDisposable
{
    private readonly CliHarness _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void PrintsOneCsvRowPerPolicy()
    {
        var result = CliHarness.Run("fleet", "--scenario", "synthetic", "--vms", "60", "--policy", "dvfs,thr-mmt-0.8", "--format", "csv", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("policy,energy_kwh,migrations,slatah_pct,pdm_pct,slav,esv,hosts_on_mean,hosts_on_max,unmet_pct,slatah_pooled_pct,pdm_pooled_pct", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("dvfs,", lines[1]);
        Assert.StartsWith("thr-mmt-0.8,", lines[2]);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void JsonIsTheSameForTheSameSeedAndDiffersForAnother()
    {
        string[] args = ["fleet", "--scenario", "synthetic", "--vms", "50", "--policy", "lr-mmt-1.2", "--format", "json", "--quiet", "--seed", "4", "--memory", "initial-only"];
        var one = CliHarness.Run(args);
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal(one.Output, CliHarness.Run(args).Output);
        using var json = JsonDocument.Parse(one.Output);
        var row = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("lr-mmt-1.2", row.GetProperty("policy").GetString());
        Assert.True(row.GetProperty("energy_kwh").GetDouble() > 0);
        Assert.True(row.GetProperty("migrations").GetInt32() > 0);
        Assert.Equal("initial-only", json.RootElement.GetProperty("memory_checked").GetString());
        args[^3] = "5";
        Assert.NotEqual(one.Output, CliHarness.Run(args).Output);
    }

    [Fact]
    public void ShowsProgressAndATableWithSmallFiguresReadable()
    {
        var result = CliHarness.Run("fleet", "--scenario", "synthetic", "--vms", "40", "--policy", "mad-mmt-2.5", "--memory", "initial-only");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[fleet mad-mmt-2.5] 50%", result.Error);
        Assert.Contains("[fleet mad-mmt-2.5] done in", result.Error);
        Assert.StartsWith("# planetlab-synthetic (40 VMs, seed 1): 31 hosts, 40 VMs, 288 x 300 s", result.Output);
        Assert.Matches(@"mad-mmt-2\.5 .* \d\.\d\dE-\d\d", result.Output);
    }

    [Fact]
    public void PrintsTheSeriesIntervalByInterval()
    {
        var result = CliHarness.Run("fleet", "--scenario", "synthetic", "--vms", "30", "--policy", "npa", "--intervals", "12", "--series", "--format", "csv", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.StartsWith("policy,interval,hour,hosts_on,", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.StartsWith("npa,11,0.9166", lines[^1]);
    }

    [SkippableFact]
    public void RunsTheNamedScenarioOnTheRealTraces()
    {
        string traces = PlanetLabData.RequireDirectory();
        var result = CliHarness.Run("fleet", "--scenario", "planetlab", "--traces", traces, "--policy", "npa", "--format", "csv", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("npa,2419.2", result.Output.Split('\n')[1]);
    }

    [Fact]
    public void ThePlanetLabScenarioNeedsItsTraces()
    {
        var result = CliHarness.Run("fleet", "--policy", "dvfs");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("virtlab fleet: invalid configuration: traces: the planetlab scenario needs --traces PATH", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void ABadTraceFileIsNamedWithItsLine()
    {
        string csv = _files.Write("bad.csv", "vm,time,cpu_pct\na,0,5\na,300,500\n");
        var result = CliHarness.Run("fleet", "--traces", csv, "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"virtlab fleet: {csv}:3: 500 is over 100 percent", result.Error.Trim());
    }

    [Theory]
    [InlineData("--policy", "thr-mmt-2", "invalid configuration: policy: 'thr-mmt-2': 2 is not a utilization threshold in (0, 1]")]
    [InlineData("--policy", "best", "invalid configuration: policy: 'best' is not a policy; expected npa, dvfs")]
    [InlineData("--vms", "0", "invalid configuration: vms: 0 must be at least 1")]
    [InlineData("--intervals", "999", "invalid configuration: intervals: 999 is not between 0 (all) and the traces' 288")]
    public void BadOptionsGetOneLineNamingThem(string option, string value, string message)
    {
        var result = CliHarness.Run("fleet", "--scenario", "synthetic", option, value, "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("virtlab fleet: " + message, result.Error.Trim());
    }

    [Fact]
    public void TooFewHostsForOneVmPerHostIsExplained()
    {
        var result = CliHarness.Run("fleet", "--scenario", "synthetic", "--vms", "20", "--hosts", "10", "--policy", "one-vm-per-host", "--quiet");
        Assert.Equal(2, result.ExitCode);
        // Five hosts of each type: the five 2500-MIPS VMs take the five G5s, and a 2000-MIPS VM
        // cannot run on a G4 (1860 MIPS per core).
        Assert.Contains("hosts: the initial placement (one-per-host) found no host for vm synthetic-0005 (extra-large: 1 x 2000 MIPS, 1740 MiB); 5 of the 10 hosts hold VMs", result.Error);
    }
}
