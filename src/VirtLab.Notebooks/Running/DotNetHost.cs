namespace VirtLab.Notebooks;

/// <summary>
/// The <c>dotnet</c> program that runs VirtLab, as an absolute path: the notebook runner starts
/// its cell host with it, package restores build with it, and the Jupyter kernelspec names it in
/// its <c>argv</c> (a JupyterHub server does not have the user's PATH).
/// </summary>
public static class DotNetHost
{
    private static readonly string ExecutableName = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    /// <summary>
    /// The running <c>dotnet</c> itself; else the one that owns the running .NET runtime
    /// (<c>ROOT/shared/Microsoft.NETCore.App/VERSION</c> → <c>ROOT/dotnet</c>); else the one the
    /// SDK names in <c>DOTNET_HOST_PATH</c>; else plain <c>dotnet</c>, found on PATH.
    /// </summary>
    public static string Executable { get; } = Find();

    private static string Find()
    {
        if (Environment.ProcessPath is { } processPath && Path.GetFileName(processPath).Equals(ExecutableName, StringComparison.OrdinalIgnoreCase))
            return processPath;
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (runtimeDirectory is not null)
        {
            var owner = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..", ExecutableName));
            if (File.Exists(owner)) return owner;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        return "dotnet";
    }
}
