namespace VirtLab.Grading.Exercises;

/// <summary>
/// What one run of a student's code may use. The grader runs the code in a child process and ends it
/// when it passes any of these; the test then loses its points and the rest go on.
/// </summary>
/// <param name="CpuSeconds">
/// Processor time of the child, all its threads together. Measured in CPU time rather than on the
/// clock so that a loaded machine (30 submissions on 2 cores) does not fail an honest solution.
/// </param>
/// <param name="WallSeconds">
/// Clock time, for code that waits instead of computing (a sleep, a deadlock), which uses no CPU.
/// </param>
/// <param name="MemoryMiB">
/// The child's managed heap, enforced by the .NET runtime's GC heap hard limit (an allocation past it
/// throws <see cref="OutOfMemoryException"/> inside the child). The grader also watches the child's
/// working set and ends it at this plus <see cref="RuntimeAllowanceMiB"/>, for memory the GC does not see.
/// </param>
public sealed record ResourceLimits(double CpuSeconds, double WallSeconds, int MemoryMiB)
{
    /// <summary>
    /// Memory a child needs besides its heap: the runtime, JIT-compiled code, VirtLab's and Roslyn's
    /// assemblies. Measured at about 90 MiB for a child running the simulator; twice that for margin.
    /// </summary>
    public const int RuntimeAllowanceMiB = 192;

    /// <summary>The limits of a test whose exercise says nothing: 20 s of CPU, 60 s on the clock, 512 MiB of heap.</summary>
    public static readonly ResourceLimits Default = new(20, 60, 512);

    /// <summary>
    /// The limits of compiling a submission with Roslyn: generous, since the compiler's own start-up
    /// (JIT of Roslyn) takes one or two seconds of CPU, but finite, since source can be written to make
    /// a compiler work very hard.
    /// </summary>
    public static readonly ResourceLimits Compile = new(60, 120, 1024);

    /// <summary>
    /// The limits of a worker's start, before any student code runs (the runtime, loading the
    /// compiled submission): generous, so that a busy machine never fails a student for it.
    /// </summary>
    public static readonly ResourceLimits Startup = new(30, 120, 512);

    /// <summary>The first invalid value as a problem text, or null.</summary>
    public string? Problem() =>
        !(CpuSeconds > 0) ? $"cpuSeconds {CpuSeconds} must be positive"
        : !(WallSeconds > 0) ? $"wallSeconds {WallSeconds} must be positive"
        : MemoryMiB < 16 ? $"memoryMiB {MemoryMiB} must be at least 16"
        : null;
}
