namespace VirtLab.Assembly;

/// <summary>Where the assembler places the sections of a program.</summary>
/// <remarks>
/// Sections are laid out one after another: <c>.text</c> at <see cref="TextBase"/>, then <c>.data</c>,
/// then other sections with contents in the order they first appear, then zero-filled sections such as
/// <c>.bss</c>. Each starts at a multiple of <see cref="SectionAlignment"/> (or of its own largest
/// <c>.align</c>, if that is larger).
/// </remarks>
public sealed record AssemblerOptions
{
    /// <summary>Address of the first byte of <c>.text</c>; 0x8000_0000 is where RAM starts on the usual RISC-V boards.</summary>
    public uint TextBase { get; init; } = 0x8000_0000;

    /// <summary>Every section starts at a multiple of this many bytes (a power of two).</summary>
    public uint SectionAlignment { get; init; } = 16;
}
