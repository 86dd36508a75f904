namespace VirtLab.Grading.Exercises;

/// <summary>
/// Writes the student version of a course's exercises (<c>virtlab exercises release</c>): every
/// exercise folder with its solution regions replaced by stubs (<see cref="SolutionRegions"/>) and its
/// <c>hidden/</c> folder left out; the folder's <c>README.md</c>; the CI templates of <c>ci/</c>; and,
/// made from the GitHub template, a ready workflow at <c>.github/workflows/virtlab-grade.yml</c> with
/// one step per test group, and a <c>.gitignore</c> for what the CI script writes. The output is
/// meant to be the root of the students' repository.
/// </summary>
public static class ExerciseRelease
{
    /// <summary>The folder of CI templates inside the exercises folder.</summary>
    public const string CiFolder = "ci";
    /// <summary>The template of the student repository's <c>.gitignore</c>, inside <see cref="CiFolder"/>.</summary>
    public const string GitIgnoreTemplate = "gitignore";
    /// <summary>Where the rendered GitHub Actions workflow goes in the student repository.</summary>
    public const string WorkflowPath = ".github/workflows/virtlab-grade.yml";

    /// <summary>Files whose text is searched for solution regions; every other file is copied byte for byte.</summary>
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".csx", ".md", ".txt", ".json", ".s", ".asm", ".yml", ".yaml", ".sh", ".ipynb", ".dib", ".csproj", ".props",
    };

    /// <summary>Build output and editor state that never belong in a release.</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj", ".vs", ".vscode", ".idea" };

    /// <summary>
    /// Releases <paramref name="exercises"/> into <paramref name="output"/>. The output must not lie
    /// inside the source folder (nor contain it), and must be empty unless <paramref name="overwrite"/>
    /// is set (then files are written over; nothing else is deleted). Throws <see cref="ExerciseFormatException"/>
    /// for a malformed region, and <see cref="IOException"/> for an unusable output folder.
    /// </summary>
    public static ReleaseSummary Write(ExerciseSet exercises, string output, bool overwrite = false)
    {
        string source = Path.GetFullPath(exercises.Root);
        output = Path.GetFullPath(output);
        if (IsSameOrInside(output, source) || IsSameOrInside(source, output))
            throw new IOException($"the release folder {output} must lie outside the source folder {source}");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(e => Path.GetFileName(e) != ".git") && !overwrite)
            throw new IOException($"{output} is not empty (use --force to write over it)");

        var written = new List<string>();
        int regions = 0;
        var leftOut = new List<string>();
        foreach (var exercise in exercises.Exercises)
        {
            foreach (var file in exercise.StudentFiles)
                if (!File.Exists(Path.Combine(exercise.Directory, file)))
                    throw new ExerciseFormatException(Path.Combine(exercise.Directory, Exercise.ManifestFile), $"studentFiles: '{file}' does not exist");
            string hidden = Path.Combine(exercise.Directory, Exercise.HiddenFolder);
            if (Directory.Exists(hidden)) leftOut.Add(Path.GetRelativePath(source, hidden));
            regions += CopyTree(exercise.Directory, Path.Combine(output, exercise.Id), source, written, skip: hidden);
        }
        string readme = Path.Combine(source, "README.md");
        if (File.Exists(readme)) regions += CopyFile(readme, Path.Combine(output, "README.md"), source, written);
        string ci = Path.Combine(source, CiFolder);
        if (Directory.Exists(ci))
        {
            regions += CopyTree(ci, Path.Combine(output, CiFolder), source, written, skip: null);
            string template = Path.Combine(ci, CiWorkflow.TemplateFile);
            if (File.Exists(template))
            {
                string workflow = Path.Combine(output, WorkflowPath);
                Directory.CreateDirectory(Path.GetDirectoryName(workflow)!);
                File.WriteAllText(workflow, CiWorkflow.Render(File.ReadAllText(template), exercises));
                written.Add(WorkflowPath);
            }
            string ignore = Path.Combine(ci, GitIgnoreTemplate);
            if (File.Exists(ignore))
            {
                File.Copy(ignore, Path.Combine(output, ".gitignore"), overwrite: true);
                written.Add(".gitignore");
            }
        }
        return new ReleaseSummary(output, written, regions, leftOut);
    }

    private static int CopyTree(string from, string to, string source, List<string> written, string? skip)
    {
        int regions = 0;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (skip is not null && IsSameOrInside(file, skip)) continue;
            var parts = Path.GetRelativePath(from, file).Split(Path.DirectorySeparatorChar);
            if (parts.Any(SkippedFolders.Contains)) continue;
            regions += CopyFile(file, Path.Combine(to, Path.GetRelativePath(from, file)), source, written);
        }
        return regions;
    }

    private static int CopyFile(string file, string target, string source, List<string> written)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string relative = Path.GetRelativePath(source, file);
        int regions = 0;
        if (TextExtensions.Contains(Path.GetExtension(file)))
        {
            string text = File.ReadAllText(file);
            if (SolutionRegions.HasMarkers(text))
            {
                regions = SolutionRegions.Count(text);
                text = SolutionRegions.Strip(text, relative);
            }
            File.WriteAllText(target, text);
            // Keep the execute bit of scripts such as ci/grade.sh.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
        else File.Copy(file, target, overwrite: true);
        written.Add(relative);
        return regions;
    }

    private static bool IsSameOrInside(string path, string folder)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}

/// <summary>What a release wrote.</summary>
/// <param name="Output">The release folder.</param>
/// <param name="Files">Files written, relative to the source exercises folder (the workflow relative to the output).</param>
/// <param name="RegionsStripped">Solution and hidden-test regions replaced or removed.</param>
/// <param name="LeftOut">Instructor-only folders not released (each exercise's <c>hidden/</c>).</param>
public sealed record ReleaseSummary(string Output, IReadOnlyList<string> Files, int RegionsStripped, IReadOnlyList<string> LeftOut);
