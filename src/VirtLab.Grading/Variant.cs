using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using VirtLab.Grading.Exercises;

namespace VirtLab.Grading;

/// <summary>
/// Each student's own numbers. The seed of a test comes from the exercise, the test and (for a
/// <see cref="VariantScope.Student"/> test) the student's id, through SHA-256, so it is the same on
/// every machine and every run, and one student's seed says nothing about another's.
/// </summary>
public static class Variant
{
    /// <summary>The student id used when none is given.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>A student id as seeds use it: trimmed and lower-case, so "Alice" and "alice " are one student.</summary>
    public static string Normalize(string studentId) =>
        string.IsNullOrWhiteSpace(studentId) ? Anonymous : studentId.Trim().ToLowerInvariant();

    /// <summary>The seed of <paramref name="test"/> of <paramref name="exerciseId"/> for <paramref name="studentId"/>: a non-negative int.</summary>
    public static int Seed(string exerciseId, ExerciseTest test, string studentId)
    {
        string who = test.Variant == VariantScope.Class ? "*" : Normalize(studentId);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"virtlab-variant\n{exerciseId}\n{test.Name}\n{who}"));
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash) & int.MaxValue);
    }
}
