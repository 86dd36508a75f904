namespace VirtLab.Grading.Exercises;

/// <summary>Who shares the numbers of a test (its host, workloads, thresholds).</summary>
public enum VariantScope
{
    /// <summary>Each student gets their own numbers, drawn from a seed made of their id (<c>--student</c>).</summary>
    Student,
    /// <summary>
    /// Every student gets the same numbers: a fixed scenario of the instructor's, typically a hidden
    /// test on a host nobody has seen. The grader computes its expected answer once per class.
    /// </summary>
    Class,
}
