using System.CommandLine;
using VirtLab.Experiments;
using VirtLab.Hypervisor;

namespace VirtLab.Cli;

/// <summary>
/// <c>virtlab experiment NAME [options] [--format table|csv|json] [--seed N] [--quiet]</c>: runs one
/// of the built-in hypervisor experiments and prints its tables. The options of each experiment
/// are made from its options record (<see cref="IExperiment.Options"/>): one <c>--name value</c>
/// per property, described by the property's doc comment. Invalid values get one line naming the
/// option, never a stack trace.
/// </summary>
public static class ExperimentCommands
{
    /// <summary>Builds the <c>experiment</c> command with one subcommand per built-in experiment.</summary>
    public static Command Create()
    {
        var command = new Command("experiment", "Run a built-in hypervisor experiment and print its results");
        foreach (var experiment in BuiltInExperiments.All) command.Subcommands.Add(CreateFor(experiment));
        var list = new Option<bool>("--list") { Description = "List the experiments, one per line: name and what it measures" };
        command.Options.Add(list);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (!parse.GetValue(list))
            {
                parse.InvocationConfiguration.Error.WriteLine("virtlab experiment: name an experiment (virtlab experiment --list), e.g. virtlab experiment cpu-overcommit --help");
                return ExitCodes.CannotLoad;
            }
            int width = BuiltInExperiments.All.Max(e => e.Name.Length);
            foreach (var experiment in BuiltInExperiments.All) output.WriteLine($"{experiment.Name.PadRight(width)}  {experiment.Description}");
            return 0;
        });
        return command;
    }

    private static Command CreateFor(IExperiment experiment)
    {
        var command = new Command(experiment.Name, experiment.Description);
        var format = new Option<string>("--format") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var quiet = new Option<bool>("--quiet") { Description = "Do not report progress on stderr" };
        var options = new List<(ExperimentOption Option, Option<string> Cli)>();
        foreach (var option in experiment.Options)
        {
            var cli = new Option<string>("--" + option.Name) { Description = option.Description, HelpName = option.ValueHint };
            command.Options.Add(cli);
            options.Add((option, cli));
        }
        command.Options.Add(format);
        command.Options.Add(quiet);
        command.SetAction(parse =>
        {
            // The invocation's writers (the console when run as a program, a StringWriter in tests).
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
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
                var values = experiment.CreateOptions();
                foreach (var (option, cli) in options)
                    if (parse.GetValue(cli) is string text) option.Set(values, text);
                result = experiment.Run(values, progress);
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
