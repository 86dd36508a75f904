using VirtLab.Grading.Exercises;

namespace VirtLab.Grading;

/// <summary>
/// Where a student's files are. A submission is a folder holding, for each exercise, either a
/// folder named after it (<c>06-sizing/Sizing.cs</c>, as in a student repository; also under
/// <c>exercises/</c>) or, for a single exercise, its files directly. Only the files the trusted
/// manifest lists as the student's are ever read from it.
/// </summary>
public static class Submission
{
    /// <summary>The largest student file the grader reads: a program for these exercises is a few KiB.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The folder of <paramref name="exercise"/>'s files in <paramref name="submission"/>, or null if it has none.</summary>
    public static string? ExerciseFolder(string submission, Exercise exercise)
    {
        foreach (var candidate in new[] { Path.Combine(submission, exercise.Id), Path.Combine(submission, "exercises", exercise.Id) })
            if (Directory.Exists(candidate)) return candidate;
        if (Path.GetFileName(Path.TrimEndingDirectorySeparator(submission)) == exercise.Id) return submission;
        return exercise.StudentFiles.Any(f => File.Exists(Path.Combine(submission, f))) ? submission : null;
    }

    /// <summary>The exercises <paramref name="submission"/> is about: just one when the folder is that exercise's, else all of <paramref name="exercises"/>.</summary>
    public static IReadOnlyList<Exercise> ExercisesOf(string submission, IReadOnlyList<Exercise> exercises)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(submission)));
        var own = exercises.Where(e => e.Id == name).ToList();
        return own.Count > 0 ? own : exercises;
    }

    /// <summary>
    /// Whether <paramref name="folder"/> is a class: a folder of submissions, one sub-folder per
    /// student. True when no exercise is found in the folder itself but one is in a sub-folder.
    /// </summary>
    public static bool IsClass(string folder, IReadOnlyList<Exercise> exercises)
    {
        if (ExercisesOf(folder, exercises).Any(e => ExerciseFolder(folder, e) is not null)) return false;
        return Students(folder).Any(s => exercises.Any(e => ExerciseFolder(s, e) is not null));
    }

    /// <summary>The sub-folders of a class folder, one per student, by name (hidden folders such as <c>.git</c> left out).</summary>
    public static IReadOnlyList<string> Students(string classFolder) =>
        [.. Directory.EnumerateDirectories(classFolder).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)];
}
