using VirtLab.Kernel;

namespace VirtLab.Tests.Kernel;

/// <summary>
/// Jupyter's own clients from Debian (python3-jupyter-client, python3-nbclient, jupyter-nbconvert)
/// driving VirtLab's kernel. They are installed for Debian's <c>/usr/bin/python3</c>, not for a
/// pyenv <c>python3</c> that may come first on PATH. Missing, they skip the test with the reason,
/// or fail it when <c>CI=true</c>.
/// </summary>
public static class JupyterClients
{
    public const string DebianPython = "/usr/bin/python3";

    /// <summary>The clients' scripts, copied beside the tests.</summary>
    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Kernel", "Clients", name);

    /// <summary>Debian's python3, once it imports every one of <paramref name="modules"/>; else skip (or fail on CI).</summary>
    public static string RequirePython(params string[] modules)
    {
        string? reason = null;
        if (!File.Exists(DebianPython)) reason = $"{DebianPython} not found";
        else
        {
            var probe = ExternalTools.Run(DebianPython, ["-c", string.Join("; ", modules.Select(m => "import " + m))], TimeSpan.FromSeconds(60));
            if (probe.ExitCode != 0) reason = $"{DebianPython} cannot import {string.Join(", ", modules)}: {probe.StandardError.Trim().Split('\n').LastOrDefault()}";
        }
        if (reason is null) return DebianPython;
        reason += " (on Debian: apt-get install python3-jupyter-client python3-nbclient python3-nbformat jupyter-nbconvert)";
        if (ExternalTools.IsCi) throw new Xunit.Sdk.XunitException($"{reason}; CI=true so this is a failure, not a skip");
        Console.WriteLine($"Skipping: {reason}");
        Skip.If(true, reason);
        return DebianPython;
    }

    /// <summary>Installs VirtLab's kernelspec (this build's kernel) under <paramref name="prefix"/>; returns the JUPYTER_PATH that finds it.</summary>
    public static string InstallKernel(string prefix)
    {
        KernelSpec.Install(KernelSpecScope.Prefix, prefix);
        return Path.Combine(prefix, "share", "jupyter");
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="jupyterPath"/> as JUPYTER_PATH; fails the test on a non-zero exit.</summary>
    public static ProcessResult Run(string program, IEnumerable<string> arguments, string jupyterPath, string workingDirectory, TimeSpan timeout)
    {
        var argumentList = arguments.ToList();
        var environment = new Dictionary<string, string?>
        {
            ["JUPYTER_PATH"] = jupyterPath,
            ["PYTHONUNBUFFERED"] = "1",
            // The kernel runs under the test host's dotnet; these belong to the test run, not to it.
            ["MSBuildExtensionsPath"] = null,
            ["MSBUILD_EXE_PATH"] = null,
            ["MSBuildSDKsPath"] = null,
        };
        var result = ExternalTools.Run(program, argumentList, timeout, workingDirectory, environment: environment);
        if (result.ExitCode != 0 || result.TimedOut)
            throw new Xunit.Sdk.XunitException($"{Path.GetFileName(program)} {string.Join(' ', argumentList)} failed: {result}");
        return result;
    }
}
