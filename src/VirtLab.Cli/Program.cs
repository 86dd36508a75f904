using System.CommandLine;

namespace VirtLab.Cli;

/// <summary>
/// The <c>virtlab</c> command. Each command group lives in its own file with a static
/// factory; this file only lists them, one line per group.
/// </summary>
public static class Program
{
    /// <summary>Builds the root command with every command group.</summary>
    public static Command CreateRootCommand()
    {
        var root = VirtLabCli.CreateEmptyRoot();
        root.Add(RunCommand.Create());
        root.Add(AssembleCommand.Create());
        root.Add(NotebookCommands.CourseCommand());
        root.Add(NotebookCommands.NotebookCommand());
        root.Add(KernelCommands.Create());
        root.Add(ExperimentCommands.Create());
        root.Add(AnswersCommand.Create());
        root.Add(GradeCommand.Create());
        root.Add(ExercisesCommands.Create());
        root.Add(FleetCommand.Create());
        return root;
    }

    public static int Main(string[] args) => VirtLabCli.Run(args);
}
