using System.CommandLine;

namespace VirtLab.Cli;

/// <summary>
/// Runs <c>virtlab</c> in-process with its output sent to any <see cref="TextWriter"/>s, so tests
/// (and notebooks) can call it exactly as a shell would.
/// </summary>
public static class VirtLabCli
{
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
        if (parsed.Errors.Count > 0)
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
