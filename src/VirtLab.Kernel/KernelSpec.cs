using System.Text.Json;
using System.Text.Json.Nodes;
using VirtLab.Notebooks;

namespace VirtLab.Kernel;

/// <summary>Where <see cref="KernelSpec.Install"/> puts the kernelspec, as in <c>jupyter kernelspec install</c>.</summary>
public enum KernelSpecScope
{
    /// <summary>The user's Jupyter data folder (<c>~/.local/share/jupyter/kernels</c> on Linux): no root needed, seen by this user only.</summary>
    User,

    /// <summary>The prefix of the Jupyter installation on PATH (<c>/usr</c>, a venv, a conda env): what a JupyterHub image wants.</summary>
    SysPrefix,

    /// <summary>A prefix given by hand: the spec goes into <c>PREFIX/share/jupyter/kernels</c>.</summary>
    Prefix,
}

/// <summary>
/// The kernelspec that makes Jupyter front ends (VS Code, JupyterLab, JupyterHub, nbclient) find
/// VirtLab's kernel: a folder named <see cref="Name"/> holding <c>kernel.json</c>.
/// <para>
/// The naming convention for lessons: a lesson's <c>metadata.kernelspec</c> is
/// <c>{"name": ".net-virtlab", "display_name": "C# (VirtLab)", "language": "C#"}</c>
/// (<see cref="KernelNames.KernelSpecMetadata"/>). VS Code and JupyterLab pick the installed spec
/// whose name equals the notebook's, so the lessons open with VirtLab's kernel, and nbclient finds
/// it by that name. The name starts with <c>.net-</c> because that is how Polyglot Notebooks
/// recognizes a .NET notebook, so where a user still has Polyglot the lessons keep opening there
/// too. The language <c>C#</c> is what VS Code maps to its C# grammar and what a language match uses.
/// </para>
/// </summary>
public static class KernelSpec
{
    /// <summary>The kernelspec's name (its folder), also written in every lesson's metadata.</summary>
    public const string Name = KernelNames.KernelSpecName;

    /// <summary>What the kernel picker shows.</summary>
    public const string DisplayName = KernelNames.KernelSpecDisplayName;

    /// <summary>The language, as VS Code and nbgrader compare it.</summary>
    public const string Language = KernelNames.KernelSpecLanguage;

    /// <summary>
    /// The <c>kernel.json</c> content: absolute paths in <c>argv</c> (a JupyterHub server does not
    /// have the user's PATH), and interrupts as messages, so that an interrupt never becomes a
    /// signal that kills the kernel (as SIGINT does on Windows).
    /// </summary>
    public static JsonObject Create(string dotnetPath, string kernelAssemblyPath) => new()
    {
        ["argv"] = new JsonArray(dotnetPath, kernelAssemblyPath, "-f", "{connection_file}"),
        ["display_name"] = DisplayName,
        ["language"] = Language,
        ["interrupt_mode"] = "message",
        ["env"] = new JsonObject { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>
    /// The <c>kernels</c> folder for <paramref name="scope"/>. <paramref name="prefix"/> is needed for
    /// <see cref="KernelSpecScope.Prefix"/>; <see cref="KernelSpecScope.SysPrefix"/> looks for
    /// <c>jupyter</c> on PATH. Throws <see cref="InvalidOperationException"/> with advice when it cannot tell.
    /// </summary>
    public static string KernelsDirectory(KernelSpecScope scope, string? prefix = null) => scope switch
    {
        KernelSpecScope.User => Path.Combine(UserDataDirectory(), "kernels"),
        KernelSpecScope.Prefix => Path.Combine(Path.GetFullPath(prefix ?? throw new InvalidOperationException("--prefix needs a folder")), "share", "jupyter", "kernels"),
        KernelSpecScope.SysPrefix => Path.Combine(JupyterPrefix(), "share", "jupyter", "kernels"),
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    /// <summary>
    /// Writes the kernelspec for the kernel beside this library and returns its folder.
    /// <paramref name="kernelAssemblyPath"/> defaults to this VirtLab.Kernel.dll.
    /// </summary>
    public static string Install(KernelSpecScope scope, string? prefix = null, string? kernelAssemblyPath = null)
    {
        var kernel = Path.GetFullPath(kernelAssemblyPath ?? typeof(KernelSpec).Assembly.Location);
        if (!File.Exists(kernel)) throw new InvalidOperationException($"the kernel is not at {kernel}; build VirtLab first");
        var directory = Path.Combine(KernelsDirectory(scope, prefix), Name);
        Directory.CreateDirectory(directory);
        var json = Create(Path.GetFullPath(DotNetHost.Executable), kernel).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(Path.Combine(directory, "kernel.json"), json + "\n");
        return directory;
    }

    /// <summary>Removes the kernelspec from <paramref name="scope"/>; returns its folder, or null if it was not there.</summary>
    public static string? Uninstall(KernelSpecScope scope, string? prefix = null)
    {
        var directory = Path.Combine(KernelsDirectory(scope, prefix), Name);
        if (!Directory.Exists(directory)) return null;
        Directory.Delete(directory, recursive: true);
        return directory;
    }

    /// <summary>Jupyter's per-user data folder: JUPYTER_DATA_DIR, else the platform's convention.</summary>
    private static string UserDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } data) return data;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
    }

    /// <summary>The prefix of the <c>jupyter</c> on PATH: <c>/usr</c> for <c>/usr/bin/jupyter</c>.</summary>
    private static string JupyterPrefix()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var jupyter = Path.Combine(directory, OperatingSystem.IsWindows() ? "jupyter.exe" : "jupyter");
            if (File.Exists(jupyter)) return Path.GetFullPath(Path.Combine(directory, ".."));
        }
        throw new InvalidOperationException("--sys-prefix installs beside the Jupyter on PATH, and there is none; use --user or --prefix DIR");
    }
}
