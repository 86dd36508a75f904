namespace VirtLab.Grading.Running;

/// <summary>How a wait for the worker's next reply ended.</summary>
internal enum ChildEnding
{
    /// <summary>The reply came.</summary>
    Replied,
    /// <summary>The child used more processor time than the test allows; the grader ended it.</summary>
    CpuLimit,
    /// <summary>The child ran longer on the clock than the test allows (waiting, not computing); the grader ended it.</summary>
    WallLimit,
    /// <summary>The child's working set passed the memory limit; the grader ended it.</summary>
    MemoryLimit,
    /// <summary>The child died of a stack overflow (the runtime ends a process on one).</summary>
    StackOverflow,
    /// <summary>The child died of an OutOfMemoryException nobody caught (its GC heap hard limit).</summary>
    OutOfMemory,
    /// <summary>The child died of an unhandled exception or a fail-fast.</summary>
    Crashed,
    /// <summary>The child ended itself (Environment.Exit, return from Main) before replying.</summary>
    Exited,
}
