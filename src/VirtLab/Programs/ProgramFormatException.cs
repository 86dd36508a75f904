namespace VirtLab.Programs;

/// <summary>Thrown when bytes that should hold a program (an ELF file) are malformed; the message names the faulty field.</summary>
public sealed class ProgramFormatException : Exception
{
    public ProgramFormatException(string message) : base(message) { }

    public ProgramFormatException(string message, Exception innerException) : base(message, innerException) { }
}
