namespace VirtLab.Notebooks;

/// <summary>
/// What <see cref="CSharpKernel.InspectAsync"/> found about the name under the cursor: its
/// signature and its XML doc comment, as plain text and as Markdown (the signature in a C# block).
/// </summary>
public sealed record Inspection(string PlainText, string Markdown);
