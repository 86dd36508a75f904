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
        Assert.Equal("virtlab experiment idle-tax: invalid configuration: taus: '1' is not a tax rate in [0, 1)", result.Error.Trim());
        Assert.Equal("", result.Output);
    }
}
