namespace VirtLab.Grading.Results;

/// <summary>What became of one test of a submission.</summary>
public enum TestStatus
{
    /// <summary>The answer was right: full points.</summary>
    Passed,
    /// <summary>The answer earned part of the points.</summary>
    Partial,
    /// <summary>The answer was wrong (or missing, or unreadable).</summary>
    Wrong,
    /// <summary>The student's code threw an exception.</summary>
    Threw,
    /// <summary>The student's code lacks what the exercise asks for (a class, a method, a signature).</summary>
    Missing,
    /// <summary>The student's code passed its CPU or clock limit and was ended.</summary>
    TimeLimit,
    /// <summary>The student's code passed its memory limit.</summary>
    MemoryLimit,
    /// <summary>The student's code brought its process down: stack overflow, crash, Environment.Exit.</summary>
    Crashed,
    /// <summary>The submission does not compile.</summary>
    CompileError,
    /// <summary>The submission does not have this exercise's files.</summary>
    NotSubmitted,
    /// <summary>A hidden test whose parameters are not here (the student version): the instructor grades it. Counts for nothing.</summary>
    NotRun,
    /// <summary>The submission's code uses what the exercise forbids (VirtLab's own implementation of what it asks for): refused before any of it ran.</summary>
    Refused,
    /// <summary>The grader itself failed on this test (a bug in a judge). Not the student's fault: check it.</summary>
    GraderError,
}
