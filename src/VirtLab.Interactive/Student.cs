using System.Diagnostics.CodeAnalysis;

namespace VirtLab.Interactive;

/// <summary>
/// Who is working through the lesson. The id seeds every self-check question's parameters
/// (<see cref="ParameterDraw"/>), so each student gets numbers of their own and cannot copy a
/// neighbour's answer.
/// <para>
/// The id comes from, in order: <c>Student.Id = "alice";</c> in the notebook; the
/// <c>VIRTLAB_STUDENT</c> environment variable; the course default (<see cref="DefaultId"/>, the
/// same for everyone, which the first question or check of the lesson points out). Ids are
/// compared without regard to case or surrounding spaces, so " Alice " and "alice" draw the same numbers.
/// </para>
/// <para>
/// The id lasts for one notebook session: a fresh kernel (or the next lesson in <c>virtlab course</c>)
/// starts without it.
/// </para>
/// </summary>
public static class Student
{
    /// <summary>The environment variable that gives the student id when the notebook does not set one.</summary>
    public const string EnvironmentVariable = "VIRTLAB_STUDENT";

    /// <summary>The id used when none is given.</summary>
    public const string DefaultId = "default";

    /// <summary>
    /// The id in use (read), or the student's own id for this notebook session (set; null or blank
    /// goes back to the environment or the default). Set it before the question cells run.
    /// </summary>
    [AllowNull]
    public static string Id
    {
        get => SelfCheckSession.Current.Student.Id;
        set => SelfCheckSession.Current.NotebookStudentId = Normalize(value);
    }

    /// <summary>Where <see cref="Id"/> came from.</summary>
    public static StudentIdSource Source => SelfCheckSession.Current.Student.Source;

    /// <summary>True when no id was given and every student without one sees the same numbers.</summary>
    public static bool IsDefault => Source == StudentIdSource.Default;

    /// <summary>The id in its canonical form (trimmed, inner spaces collapsed, lower case), or null when blank.</summary>
    public static string? Normalize(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        return string.Join(' ', id.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
    }
}
