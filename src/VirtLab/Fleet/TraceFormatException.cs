namespace VirtLab.Fleet;

/// <summary>
/// A trace file that cannot be read. <see cref="Exception.Message"/> reads
/// <c>FILE:LINE: problem</c> (or <c>FILE: problem</c> when no single line is at fault), like a
/// compiler's error, so the bad value is one click away.
/// </summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>A problem at <paramref name="line"/> (1-based; 0 for the file as a whole) of <paramref name="file"/>.</summary>
    public TraceFormatException(string file, int line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file (or folder) at fault.</summary>
    public string File { get; }

    /// <summary>The 1-based line at fault, or 0 when the problem is the file or folder as a whole.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
