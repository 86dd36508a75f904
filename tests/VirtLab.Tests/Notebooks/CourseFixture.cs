using VirtLab.Interactive;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// Runs the real course (every lesson in notebooks/) once for all tests that need it, the way
/// <c>virtlab course</c> does: deploy notebooks/lib, run each lesson, build the site into a temp folder.
/// </summary>
public sealed class CourseFixture : IAsyncLifetime
{
    public string RepositoryRoot { get; } = FindRepositoryRoot();
    public string NotebooksDirectory => Path.Combine(RepositoryRoot, "notebooks");
    public string SiteDirectory { get; } = Path.Combine(Path.GetTempPath(), "virtlab-course-" + Guid.NewGuid().ToString("N")[..8]);
    public CourseResult Result { get; private set; } = null!;
    public string Log { get; private set; } = "";

    public async Task InitializeAsync()
    {
        NotebookLibrary.Deploy(Path.Combine(NotebooksDirectory, NotebookLibrary.FolderName));
        var log = new StringWriter();
        var options = new CourseOptions
        {
            Run = new RunOptions { CellTimeout = TimeSpan.FromMinutes(2) },
            Site = new SiteOptions { Plotly = PlotlyScript.FromAssembly(typeof(Plotly.NET.GenericChart).Assembly) },
        };
        Result = await Course.RunAsync(NotebooksDirectory, SiteDirectory, options, log);
        Log = log.ToString();
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(SiteDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "VirtLab.sln"))) return directory.FullName;
        throw new InvalidOperationException("VirtLab.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Lesson and browser tests share one course run; they also run notebooks, so they join the runner collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CourseCollection : ICollectionFixture<CourseFixture>
{
    public const string Name = "course";
}
