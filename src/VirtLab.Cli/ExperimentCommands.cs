using System.CommandLine;
using VirtLab.Experiments;
using VirtLab.Hypervisor;

namespace VirtLab.Cli;

/// <summary>
/// <c>virtlab experiment NAME [options] [--format table|csv|json] [--seed N]</c>: runs one of the
/// built-in hypervisor experiments and prints its tables. Every experiment option is
/// <c>--name value</c>; invalid values get one line naming the option, never a stack trace.
/// </summary>
public static class ExperimentCommands
{
    /// <summary>Builds the <c>experiment</c> command with one subcommand per built-in experiment.</summary>
    public static Command Create()
    {
        var command = new Command("experiment", "Run a built-in hypervisor experiment and print its results");
        foreach (var experiment in VirtLab.Experiments.Experiments.All) command.Subcommands.Add(CreateFor(experiment));
        return command;
    }

    private static Command CreateFor(IExperiment experiment)
    {
        var command = new Command(experiment.Name, experiment.Description);
        var format = new Option<string>("--format") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same results", DefaultValueFactory = _ => 1 };
        var quiet = new Option<bool>("--quiet") { Description = "Do not report progress on stderr" };
        command.Options.Add(format);
        command.Options.Add(seed);
        command.Options.Add(quiet);
        var options = new List<(string Name, Option<string> Option)>();
        foreach (var (name, defaultValue) in experiment.Defaults)
        {
            var option = new Option<string>("--" + name) { Description = $"(default: {defaultValue})" };
            command.Options.Add(option);
            options.Add((name, option));
        }
        command.SetAction(parse =>
        {
            // The invocation's writers (the console when run as a program, a StringWriter in tests).
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var values = new Dictionary<string, string>();
            foreach (var (name, option) in options)
                if (parse.GetValue(option) is string v) values[name] = v;
            bool showProgress = !parse.GetValue(quiet);
            int lastPercent = -1;
            var progress = new SyncProgress(f =>
            {
                int percent = (int)(f * 100);
                if (!showProgress || percent / 10 == lastPercent / 10) return;
                lastPercent = percent;
                error.WriteLine($"[{experiment.Name}] {percent}%");
            });
            ExperimentResult result;
            try
            {
                result = experiment.Run(values, parse.GetValue(seed), progress);
            }
            catch (ConfigurationException e)
            {
                error.WriteLine($"virtlab experiment {experiment.Name}: invalid configuration: {e.Message}");
                return 2;
            }
            output.Write(parse.GetValue(format) switch
            {
                "csv" => result.ToCsv(),
                "json" => result.ToJson() + Environment.NewLine,
                _ => result.ToText(),
            });
            return 0;
        });
        return command;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
