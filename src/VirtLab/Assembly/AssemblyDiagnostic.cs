namespace VirtLab.Assembly;

/// <summary>An error found while assembling, with the 1-based line and column where it was found.</summary>
public sealed record AssemblyDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: error: {Message}";
}
