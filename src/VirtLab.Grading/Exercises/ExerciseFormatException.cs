namespace VirtLab.Grading.Exercises;

/// <summary>
/// A malformed exercise: a manifest that does not parse, a missing field, a test without points, an
/// unclosed solution region. <see cref="Exception.Message"/> names the file (and line or field) at fault.
/// </summary>
public sealed class ExerciseFormatException(string file, string problem) : Exception($"{file}: {problem}")
{
    /// <summary>The file at fault.</summary>
    public string File { get; } = file;
}
