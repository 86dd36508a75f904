using System.CommandLine;
using VirtLab.Kernel;

namespace VirtLab.Cli;

/// <summary>
/// <c>virtlab kernel install</c> and <c>virtlab kernel uninstall</c>: make VirtLab's Jupyter kernel
/// known to VS Code, JupyterLab, JupyterHub and nbclient (see <see cref="KernelSpec"/>).
/// </summary>
public static class KernelCommands
{
    /// <summary>Exit code when the kernelspec cannot be written or removed.</summary>
    public const int Failed = 1;

    /// <summary>The <c>kernel</c> command group.</summary>
    public static Command Create()
    {
        var install = new Command("install", $"Install the kernelspec '{KernelSpec.Name}' (\"{KernelSpec.DisplayName}\") for Jupyter front ends");
        var installScope = ScopeOptions(install);
        install.SetAction(parse => Install(installScope(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));

        var uninstall = new Command("uninstall", $"Remove the kernelspec '{KernelSpec.Name}'");
        var uninstallScope = ScopeOptions(uninstall);
        uninstall.SetAction(parse => Uninstall(uninstallScope(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));

        return new Command("kernel", "VirtLab's Jupyter kernel for C# (VS Code, JupyterLab, JupyterHub, nbclient)") { install, uninstall };
    }

    /// <summary>Installs the kernelspec; returns the exit code.</summary>
    public static int Install((KernelSpecScope Scope, string? Prefix) where, TextWriter output, TextWriter error)
    {
        try
        {
            var directory = KernelSpec.Install(where.Scope, where.Prefix);
            output.WriteLine($"Installed kernelspec {KernelSpec.Name} in {directory}");
            output.WriteLine($"Pick \"{KernelSpec.DisplayName}\" in your notebook's kernel picker; the lessons in notebooks/ ask for it by name.");
            return 0;
        }
        catch (Exception problem) when (problem is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"virtlab kernel install: {problem.Message}");
            return Failed;
        }
    }

    /// <summary>Removes the kernelspec; returns the exit code (0 also when it was not installed).</summary>
    public static int Uninstall((KernelSpecScope Scope, string? Prefix) where, TextWriter output, TextWriter error)
    {
        try
        {
            var removed = KernelSpec.Uninstall(where.Scope, where.Prefix);
            output.WriteLine(removed is null
                ? $"No kernelspec {KernelSpec.Name} in {KernelSpec.KernelsDirectory(where.Scope, where.Prefix)}"
                : $"Removed {removed}");
            return 0;
        }
        catch (Exception problem) when (problem is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"virtlab kernel uninstall: {problem.Message}");
            return Failed;
        }
    }

    /// <summary>Adds --user, --sys-prefix and --prefix to <paramref name="command"/>; returns how to read the choice.</summary>
    private static Func<ParseResult, (KernelSpecScope, string?)> ScopeOptions(Command command)
    {
        var user = new Option<bool>("--user") { Description = "For this user only, in Jupyter's user data folder (the default)" };
        var sysPrefix = new Option<bool>("--sys-prefix") { Description = "Beside the Jupyter on PATH (e.g. /usr or a venv): for JupyterHub and Docker images" };
        var prefix = new Option<string?>("--prefix") { Description = "Into PREFIX/share/jupyter/kernels" };
        command.Add(user);
        command.Add(sysPrefix);
        command.Add(prefix);
        command.Validators.Add(result =>
        {
            var chosen = new[] { result.GetValue(user), result.GetValue(sysPrefix), result.GetValue(prefix) is not null }.Count(c => c);
            if (chosen > 1) result.AddError("choose one of --user, --sys-prefix and --prefix");
        });
        return parse => parse.GetValue(prefix) is { } folder ? (KernelSpecScope.Prefix, (string?)folder)
            : parse.GetValue(sysPrefix) ? (KernelSpecScope.SysPrefix, null)
            : (KernelSpecScope.User, null);
    }
}
