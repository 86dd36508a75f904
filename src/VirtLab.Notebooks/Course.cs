using System.Globalization;

namespace VirtLab.Notebooks;

/// <summary>Options for <see cref="Course.RunAsync"/>: how to run each lesson and how to render the site.</summary>
public sealed record CourseOptions
{
    /// <summary>How each lesson is run.</summary>
    public RunOptions Run { get; init; } = new();

    /// <summary>How the site is rendered.</summary>
    public SiteOptions Site { get; init; } = new();

    /// <summary>A lesson that takes longer than this to execute is flagged in the summary (default <see cref="Course.LessonTimeLimit"/>).</summary>
    public TimeSpan LessonTimeLimit { get; init; } = Course.LessonTimeLimit;
}

/// <summary>The result of <see cref="Course.RunAsync"/>: one run result per lesson and the site's index page.</summary>
public sealed record CourseResult(IReadOnlyList<NotebookRunResult> Lessons, string IndexPath)
{
    /// <summary>Lesson files that could not be read, each with the place at fault; they are left out of the site.</summary>
    public IReadOnlyList<NotebookFormatException> Unreadable { get; init; } = [];

    /// <summary>True when every lesson could be read and every cell of every lesson succeeded.</summary>
    public bool Succeeded => Unreadable.Count == 0 && Lessons.All(l => l.Succeeded);

    /// <summary>0 when every lesson succeeded, 2 otherwise.</summary>
    public int ExitCode => Succeeded ? 0 : 2;
}

/// <summary>
/// The whole course in one call: run every lesson in a folder, then render the site.
/// The <c>virtlab course</c> command is a thin wrapper around <see cref="RunAsync"/>.
/// </summary>
public static class Course
{
    /// <summary>
    /// How long one lesson may take to execute: "each lesson executes in under 10 seconds on the
    /// 2-core machine" (the lesson standard, lessons.md). <c>virtlab course</c> flags a lesson over it
    /// (<see cref="CourseOptions.LessonTimeLimit"/> changes it).
    /// </summary>
    public static readonly TimeSpan LessonTimeLimit = TimeSpan.FromSeconds(10);

    /// <summary>The notebook files in <paramref name="notebooksDirectory"/> (.ipynb and .dib), sorted by file name.</summary>
    public static IReadOnlyList<string> LessonFiles(string notebooksDirectory) =>
        Directory.EnumerateFiles(notebooksDirectory)
            .Where(path => Path.GetExtension(path).ToLowerInvariant() is ".ipynb" or ".dib")
            .OrderBy(path => Path.GetFileName(path), StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Runs every lesson of <paramref name="notebooksDirectory"/> in file-name order, each with a
    /// fresh kernel (a child process of its own), and renders the site into <paramref name="outputDirectory"/>. Lesson files are
    /// not modified; the executed notebooks are saved inside the site. <paramref name="progress"/>
    /// receives the runner's progress lines (<c>[lesson] cell 3/12 ... 0.4 s</c>).
    /// </summary>
    public static async Task<CourseResult> RunAsync(string notebooksDirectory, string outputDirectory, CourseOptions? options = null, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new CourseOptions();
        var runOptions = progress is null ? options.Run : options.Run with { Log = progress };
        var results = new List<NotebookRunResult>();
        var unreadable = new List<NotebookFormatException>();
        var lessons = new List<NotebookDocument>();
        foreach (var path in LessonFiles(notebooksDirectory))
        {
            try
            {
                lessons.Add(NotebookDocument.Load(path));
            }
            catch (NotebookFormatException error)
            {
                progress?.WriteLine($"[course] cannot read {error.Message}");
                unreadable.Add(error);
            }
        }
        // Each lesson gets a fresh kernel; the next one starts while a lesson runs, as a student's
        // kernel starts when the notebook opens, before anything is run.
        CSharpKernel? next = lessons.Count > 0 ? CSharpKernel.Create(runOptions.KernelOptions(lessons[0].Directory)) : null;
        for (int i = 0; i < lessons.Count; i++)
        {
            await using var kernel = next!;
            next = i + 1 < lessons.Count ? CSharpKernel.Create(runOptions.KernelOptions(lessons[i + 1].Directory)) : null;
            try
            {
                results.Add(await NotebookRunner.RunAsync(lessons[i], kernel, runOptions, cancellationToken));
            }
            catch
            {
                if (next is not null) await next.DisposeAsync();
                throw;
            }
        }
        var index = CourseSite.Build(results.Select(r => r.Document), outputDirectory, options.Site);
        if (progress is not null) WriteSummary(results, options.LessonTimeLimit, progress);
        progress?.WriteLine($"[course] {results.Count} lessons, {results.Sum(r => r.Failures.Count())} failed cells"
                            + (unreadable.Count > 0 ? $", {unreadable.Count} unreadable" : "") + $", site: {index}");
        return new CourseResult(results, index) { Unreadable = unreadable };
    }

    /// <summary>
    /// The summary after the run: each lesson's execution time (flagged when over
    /// <paramref name="limit"/>), then what its outline lacks for the table of contents.
    /// </summary>
    private static void WriteSummary(IReadOnlyList<NotebookRunResult> results, TimeSpan limit, TextWriter progress)
    {
        static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

        if (results.Count == 0) return;
        int width = Math.Max("total".Length, results.Max(r => r.Document.Name.Length));
        progress.WriteLine($"[course] execution time per lesson, first cell to last on a started kernel (limit {Seconds(limit)} each):");
        foreach (var result in results)
        {
            var flag = result.Elapsed > limit ? $"  OVER {Seconds(limit)}" : "";
            progress.WriteLine($"[course]   {result.Document.Name.PadRight(width)} {Seconds(result.Elapsed),8}   (waited {Seconds(result.KernelStart)} for its kernel){flag}");
        }
        progress.WriteLine($"[course]   {"total".PadRight(width)} {Seconds(TimeSpan.FromTicks(results.Sum(r => r.Elapsed.Ticks))),8}");
        foreach (var result in results)
            foreach (var problem in LessonOutline.Of(result.Document).Problems)
                progress.WriteLine($"[course] {result.Document.Name}: table of contents: {problem} (see notebooks/README.md)");
    }
}
