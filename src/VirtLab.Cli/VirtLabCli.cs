using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace VirtLab.Cli;

/// <summary>
/// Runs <c>virtlab</c> in-process with its output sent to any <see cref="TextWriter"/>s, so tests
/// (and notebooks) can call it exactly as a shell would.
/// </summary>
public static class VirtLabCli
{
    private static readonly ConditionalWeakTable<Command, string> Epilogs = new();

    /// <summary>
    /// The root command without subcommands. A plain <see cref="Command"/> named <c>virtlab</c> rather
    /// than a <see cref="RootCommand"/>, whose name would be the executable's (VirtLab.Cli, or testhost
    /// under a test runner) and show up in every usage line. Without a subcommand it shows the help.
    /// </summary>
    public static Command CreateEmptyRoot()
    {
        var help = new HelpOption();
        var showHelp = new HelpWithEpilog((HelpAction)help.Action!);
        help.Action = showHelp;
        var root = new Command("virtlab", "VirtLab: a teaching kit for virtualization built around an emulated RISC-V machine.")
        {
            help,
            new VersionOption(),
        };
        root.SetAction(parse =>
        {
            showHelp.Invoke(parse);
            return ExitCodes.CannotLoad;
        });
        return root;
    }

    /// <summary>The usual help, then the command's epilog if it has one.</summary>
    private sealed class HelpWithEpilog(HelpAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int code = inner.Invoke(parseResult);
            if (Epilogs.TryGetValue(parseResult.CommandResult.Command, out string? epilog))
                parseResult.InvocationConfiguration.Output.WriteLine(epilog);
            return code;
        }
    }

    /// <summary>Adds text (e.g. the exit codes) after the usual sections of <paramref name="command"/>'s <c>--help</c>.</summary>
    public static void SetHelpEpilog(Command command, string text) => Epilogs.AddOrUpdate(command, text);

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command. Returns the exit code; never throws. A bad
    /// command line prints its errors and returns <see cref="ExitCodes.CannotLoad"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Program.CreateRootCommand();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpWithEpilog)
        {
            foreach (var parseError in parsed.Errors) error.WriteLine($"virtlab: {parseError.Message}");
            error.WriteLine("Try 'virtlab --help'.");
            return ExitCodes.CannotLoad;
        }
        try
        {
            // Our own handler below reports exceptions in one line; the default one prints a stack trace.
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"virtlab: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Unsupported;
        }
    }
}
