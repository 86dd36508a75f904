namespace VirtLab.Tests.Notebooks;

/// <summary>
/// A temporary folder holding copies of fixture notebooks, so a test can run and modify them
/// without touching the fixtures. Deleted on dispose.
/// </summary>
public sealed class TestNotebookFolder : IDisposable
{
    /// <summary>The fixtures folder copied to the test output (Notebooks/TestNotebooks).</summary>
    public static string Fixtures => System.IO.Path.Combine(AppContext.BaseDirectory, "Notebooks", "TestNotebooks");

    public TestNotebookFolder(params string[] fixtureFiles)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "virtlab-nbtest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
        foreach (var file in fixtureFiles)
            System.IO.File.Copy(System.IO.Path.Combine(Fixtures, file), System.IO.Path.Combine(Path, file));
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open by a loaded assembly; the temp folder is cleaned later */ }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Runner tests change the process's working directory and console; run them one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookRunnerCollection
{
    public const string Name = "notebook runner";
}
