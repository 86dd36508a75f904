namespace VirtLab.Grading.Judging;

/// <summary>
/// A judge's decision on one answer: the fraction of the test's points it earns, and feedback for
/// the student. The grader turns the fraction into points; the feedback is shown for visible tests
/// only (a hidden test's feedback may hold its expected value, so the grader never shows it).
/// </summary>
/// <param name="Fraction">0 (wrong) to 1 (correct); anything between is partial credit.</param>
/// <param name="Feedback">What was right or wrong and why, in a sentence or two.</param>
public sealed record Verdict(double Fraction, string Feedback)
{
    /// <summary>Full points.</summary>
    public static Verdict Correct(string feedback) => new(1, feedback);
    /// <summary>No points.</summary>
    public static Verdict Wrong(string feedback) => new(0, feedback);
    /// <summary>Part of the points: <paramref name="fraction"/> is clamped to [0, 1].</summary>
    public static Verdict Partly(double fraction, string feedback) => new(Math.Clamp(fraction, 0, 1), feedback);
}
