using System.CommandLine;
using System.Globalization;
using VirtLab.Interactive;
using VirtLab.Notebooks;

namespace VirtLab.Cli;

/// <summary>
/// <c>virtlab course</c> and <c>virtlab notebook run</c>: run lessons headlessly with VirtLab's own
/// notebook runner (Polyglot Notebooks is deprecated) and render the course as an offline site.
/// Both first copy VirtLab.Interactive and its dependencies into the notebooks' <c>lib/</c> folder
/// (<see cref="NotebookLibrary.Deploy"/>), which is what lessons reference with
/// <c>#r "lib/VirtLab.Interactive.dll"</c>.
/// </summary>
public static class NotebookCommands
{
    /// <summary>Exit code when a cell failed (as dotnet-repl).</summary>
    public const int CellsFailed = 2;

    /// <summary>Exit code for bad usage (missing folder or file).</summary>
    public const int UsageError = 64;

    /// <summary><c>virtlab course [--output DIR] [--notebooks DIR] [--timeout SECONDS]</c>.</summary>
    public static Command CourseCommand()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the site (default: site/ at the repository root)" };
        var notebooks = new Option<string?>("--notebooks") { Description = "The folder of lessons (default: notebooks/ at the repository root)" };
        var timeout = new Option<double?>("--timeout") { Description = "Longest a single cell may run, in seconds (default 300)" };
        var command = new Command("course", "Run every lesson in notebooks/ and build the course site (HTML, works offline)")
        {
            output, notebooks, timeout,
        };
        command.SetAction((parse, cancellationToken) =>
            RunCourseAsync(parse.GetValue(notebooks), parse.GetValue(output), parse.GetValue(timeout), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary><c>virtlab notebook run PATH... [--output DIR] [--stop-on-error] [--timeout SECONDS]</c>, under a <c>notebook</c> command.</summary>
    public static Command NotebookCommand()
    {
        var paths = new Argument<string[]>("path") { Description = "Notebooks to run (.ipynb or .dib)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for the executed notebooks (default: write outputs back into each .ipynb; a .dib gets an .ipynb beside it)" };
        var stopOnError = new Option<bool>("--stop-on-error") { Description = "Stop a notebook at its first failing cell" };
        var timeout = new Option<double?>("--timeout") { Description = "Longest a single cell may run, in seconds (default 300)" };
        var run = new Command("run", "Run notebooks headlessly and save their outputs") { paths, output, stopOnError, timeout };
        run.SetAction((parse, cancellationToken) =>
            RunNotebooksAsync(parse.GetValue(paths) ?? [], parse.GetValue(output), parse.GetValue(stopOnError), parse.GetValue(timeout), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return new Command("notebook", "Work with VirtLab notebooks") { run };
    }

    /// <summary>The body of <c>virtlab course</c>; returns the exit code.</summary>
    public static async Task<int> RunCourseAsync(string? notebooksDirectory, string? outputDirectory, double? timeoutSeconds, TextWriter log, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = RepositoryRoot();
        var lessons = Path.GetFullPath(notebooksDirectory ?? Path.Combine(root, "notebooks"));
        var site = Path.GetFullPath(outputDirectory ?? Path.Combine(root, "site"));
        if (!Directory.Exists(lessons))
        {
            error.WriteLine($"virtlab course: no lessons folder at {lessons} (run it inside the VirtLab repository, or pass --notebooks DIR)");
            return UsageError;
        }
        if (Course.LessonFiles(lessons).Count == 0)
        {
            error.WriteLine($"virtlab course: {lessons} holds no .ipynb or .dib lessons");
            return UsageError;
        }

        DeployLibrary(lessons, log);
        var options = new CourseOptions
        {
            Run = new RunOptions { CellTimeout = Timeout(timeoutSeconds) },
            Site = new SiteOptions { Plotly = PlotlyScript.FromAssembly(typeof(Plotly.NET.GenericChart).Assembly) },
        };
        var result = await Course.RunAsync(lessons, site, options, log, cancellationToken);
        foreach (var unreadable in result.Unreadable)
            error.WriteLine($"virtlab course: cannot read {unreadable.Message}");
        foreach (var lesson in result.Lessons.Where(l => !l.Succeeded))
            foreach (var failure in lesson.Failures)
                error.WriteLine($"virtlab course: {lesson.Document.Name}, cell {failure.Index + 1}: {failure.Status} - {FirstError(failure.Cell)}");
        log.WriteLine(result.Succeeded
            ? $"Course built: open {result.IndexPath}"
            : $"Course built with failures: {result.IndexPath}");
        return result.Succeeded ? 0 : CellsFailed;
    }

    /// <summary>The body of <c>virtlab notebook run</c>; returns the exit code.</summary>
    public static async Task<int> RunNotebooksAsync(IReadOnlyList<string> paths, string? outputDirectory, bool stopOnError, double? timeoutSeconds, TextWriter log, TextWriter error, CancellationToken cancellationToken = default)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            foreach (var path in missing) error.WriteLine($"virtlab notebook run: no such file: {path}");
            return UsageError;
        }

        var options = new RunOptions { CellTimeout = Timeout(timeoutSeconds), StopOnError = stopOnError, Log = log };
        bool allSucceeded = true;
        foreach (var path in paths.Select(Path.GetFullPath))
        {
            NotebookDocument document;
            try
            {
                document = NotebookDocument.Load(path);
            }
            catch (NotebookFormatException unreadable)
            {
                error.WriteLine($"virtlab notebook run: cannot read {unreadable.Message}");
                allSucceeded = false;
                continue;
            }
            if (ReferencesLibrary(document)) DeployLibrary(document.Directory, log);
            var result = await NotebookRunner.RunAsync(document, options, cancellationToken);
            var target = outputDirectory is not null
                ? Path.Combine(Path.GetFullPath(outputDirectory), document.Name + ".ipynb")
                : Path.ChangeExtension(path, ".ipynb");
            NotebookWriter.Save(result.Document, target);
            foreach (var failure in result.Failures)
                error.WriteLine($"virtlab notebook run: {document.Name}, cell {failure.Index + 1}: {failure.Status} - {FirstError(failure.Cell)}");
            log.WriteLine($"[{document.Name}] {(result.Succeeded ? "ok" : $"{result.Failures.Count()} failed")} in {result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, saved {target}");
            allSucceeded &= result.Succeeded;
        }
        return allSucceeded ? 0 : CellsFailed;
    }

    /// <summary>
    /// The VirtLab repository around the current directory (the folder holding VirtLab.sln), else
    /// around the tool itself, else the current directory.
    /// </summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "VirtLab.sln"))) return directory.FullName;
        }
        return Environment.CurrentDirectory;
    }

    internal static void DeployLibrary(string notebooksDirectory, TextWriter log)
    {
        var lib = Path.Combine(notebooksDirectory, NotebookLibrary.FolderName);
        int written = NotebookLibrary.Deploy(lib);
        log.WriteLine(written == 0 ? $"[lib] {lib} is up to date" : $"[lib] copied {written} assemblies to {lib}");
    }

    internal static bool ReferencesLibrary(NotebookDocument document) =>
        document.Cells.Any(c => NotebookLibrary.IsReferencedBy(c.Source));

    internal static TimeSpan? Timeout(double? seconds) => seconds switch
    {
        null => TimeSpan.FromMinutes(5),
        <= 0 => null,
        { } s => TimeSpan.FromSeconds(s),
    };

    internal static string FirstError(NotebookCell cell) =>
        cell.Outputs.OfType<ErrorOutput>().Select(e => e.Value.Split('\n')[0]).FirstOrDefault() ?? "(no error output)";
}
