using VirtLab.Kernel.Messaging;
using VirtLab.Notebooks;

namespace VirtLab.Kernel;

/// <summary>
/// <c>dotnet VirtLab.Kernel.dll -f CONNECTION_FILE</c>: the command a kernelspec names (see
/// <see cref="KernelSpec"/>); Jupyter front ends start it with the connection file they wrote.
/// <c>dotnet VirtLab.Kernel.dll cell-host PIPE</c> is the child process that runs cells, for the
/// kernel and for VirtLab's headless runner alike.
/// </summary>
public static class Program
{
    /// <summary>Runs the kernel; returns 0 after a shutdown request, 2 on a bad command line or connection file.</summary>
    public static async Task<int> Main(string[] args)
    {
        // The same program is the child that runs the cells (see CSharpKernelOptions.CellHostAssembly).
        if (args is [CellHost.Verb, ..]) return await CellHost.Main(args);
        if (args is not [("-f" or "--connection-file"), var path])
        {
            await Console.Error.WriteLineAsync("usage: VirtLab.Kernel -f CONNECTION_FILE   (Jupyter starts it; install it with: virtlab kernel install)");
            return 2;
        }
        ConnectionInfo connection;
        try
        {
            connection = ConnectionInfo.Load(path);
        }
        catch (Exception error) when (error is FormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"virtlab kernel: {error.Message}");
            return 2;
        }
        await JupyterKernel.RunAsync(connection, new CSharpKernelOptions { WorkingDirectory = Environment.CurrentDirectory }, Console.Error);
        return 0;
    }
}
