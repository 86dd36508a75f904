using VirtLab.Cli;

namespace VirtLab.Tests.Cli;

/// <summary>What one in-process run of <c>virtlab</c> printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs the CLI in-process, and makes scratch files for it.</summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Directory = Path.Combine(Path.GetTempPath(), "virtlab-cli-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>A scratch directory, deleted with the harness.</summary>
    public string Directory { get; }

    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = VirtLabCli.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Writes <paramref name="text"/> to a scratch file and returns its path.</summary>
    public string Write(string name, string text)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The repository root: the first directory above the test binaries that holds VirtLab.sln.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "VirtLab.sln"))) return dir.FullName;
            throw new InvalidOperationException($"VirtLab.sln not found above {AppContext.BaseDirectory}");
        }
    }

    public static string ExamplesDirectory => Path.Combine(RepoRoot, "examples");

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
