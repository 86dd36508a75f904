using System.Security.Cryptography;
using System.Text;

namespace VirtLab.Interactive;

/// <summary>
/// The dice a self-check question rolls for its parameters. Seeded by the student's id and the
/// question's id, so a student gets the same numbers every time they run the lesson, two students
/// get different ones, and an instructor can recompute anyone's (<c>virtlab answers --student ID</c>).
/// <para>
/// The generator is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014), written out here rather than taken from <see cref="Random"/>, whose
/// seeded sequence .NET does not promise to keep across versions. The seed is the first eight
/// bytes of SHA-256 over "student id, newline, question id".
/// </para>
/// <example>
/// <code>
/// draw => new { Vms = draw.Int(2, 6), Ratio = draw.Pick(1.25, 1.5, 2.0), Ms = draw.Double(20, 60, step: 10) }
/// </code>
/// </example>
/// </summary>
public sealed class ParameterDraw
{
    private ulong state;

    /// <summary>The draw for <paramref name="student"/>'s copy of question <paramref name="questionId"/>.</summary>
    public ParameterDraw(string student, string questionId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(student + "\n" + questionId));
        state = BitConverter.ToUInt64(hash, 0);
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, both included.</summary>
    public int Int(int min, int max)
    {
        if (max < min) throw new ArgumentException($"Int({min}, {max}): max must not be below min");
        return (int)(min + (long)Below((ulong)((long)max - min + 1)));
    }

    /// <summary>
    /// A number from <paramref name="min"/> to <paramref name="max"/> in steps of <paramref name="step"/>
    /// (<c>Double(0.5, 2, step: 0.25)</c> gives one of 0.5, 0.75, ..., 2). Steps keep the numbers
    /// readable in the question's text; the arithmetic is decimal, so 0.1 steps print as 0.3, not 0.30000000000000004.
    /// </summary>
    public double Double(double min, double max, double step)
    {
        if (!(step > 0) || !double.IsFinite(min) || !double.IsFinite(max) || max < min)
            throw new ArgumentException($"Double({min}, {max}, step: {step}): needs min <= max and a positive step");
        decimal start = (decimal)min, stride = (decimal)step;
        long count = (long)decimal.Floor(((decimal)max - start) / stride) + 1;
        return (double)(start + stride * Below((ulong)count));
    }

    /// <summary>One of <paramref name="values"/>, each equally likely.</summary>
    public T Pick<T>(params T[] values) => Pick((IReadOnlyList<T>)values);

    /// <summary>One of <paramref name="values"/>, each equally likely.</summary>
    public T Pick<T>(IReadOnlyList<T> values)
    {
        if (values.Count == 0) throw new ArgumentException("Pick needs at least one value", nameof(values));
        return values[(int)Below((ulong)values.Count)];
    }

    /// <summary>A number in [0, <paramref name="bound"/>), by Lemire's multiply-and-shift (no modulo bias worth the name for small bounds).</summary>
    private ulong Below(ulong bound) => (ulong)(((UInt128)Next() * bound) >> 64);

    private ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
