namespace VirtLab.Grading.Exercises;

/// <summary>
/// The exercises of a course: every folder of <see cref="Root"/> that holds an <c>exercise.json</c>,
/// in name order (so <c>01-…</c> comes before <c>06-…</c>). The grader takes manifests, judges'
/// parameters and hidden tests only from here, never from a submission.
/// </summary>
public sealed class ExerciseSet
{
    private ExerciseSet(string root, IReadOnlyList<Exercise> exercises)
    {
        Root = root;
        Exercises = exercises;
    }

    /// <summary>The folder that holds the exercise folders (in the kit: <c>exercises/</c>).</summary>
    public string Root { get; }
    public IReadOnlyList<Exercise> Exercises { get; }
    /// <summary>Whether any exercise has its hidden tests here (the instructor's source version).</summary>
    public bool HasHiddenTests => Exercises.Any(e => e.HasHiddenTests);

    /// <summary>Loads every exercise under <paramref name="root"/>. Throws <see cref="ExerciseFormatException"/> for a malformed one, or if there is none.</summary>
    public static ExerciseSet Load(string root)
    {
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root)) throw new ExerciseFormatException(root, "no such folder");
        var exercises = Directory.EnumerateDirectories(root)
            .Where(Exercise.IsExerciseDirectory)
            .Order(StringComparer.Ordinal)
            .Select(Exercise.Load)
            .ToList();
        if (exercises.Count == 0) throw new ExerciseFormatException(root, $"holds no exercise (a folder with an {Exercise.ManifestFile})");
        return new ExerciseSet(root, exercises);
    }

    /// <summary>
    /// The folder of exercises nearest to <paramref name="start"/>: <paramref name="start"/> itself
    /// or one of its parents that holds exercise folders, or an <c>exercises/</c> folder in one of
    /// them. This finds the kit's <c>exercises/</c> from anywhere in the repository, and a student
    /// repository's root (which is a released <c>exercises/</c>) from anywhere inside it. Null if none.
    /// </summary>
    public static string? Discover(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (HoldsExercises(dir.FullName)) return dir.FullName;
            string nested = Path.Combine(dir.FullName, "exercises");
            if (HoldsExercises(nested)) return nested;
        }
        return null;
    }

    private static bool HoldsExercises(string directory) =>
        Directory.Exists(directory) && Directory.EnumerateDirectories(directory).Any(Exercise.IsExerciseDirectory);

    /// <summary>The exercise with id <paramref name="id"/>, or null.</summary>
    public Exercise? Find(string id) => Exercises.FirstOrDefault(e => e.Id == id);
}
