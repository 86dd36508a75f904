namespace VirtLab.Notebooks;

/// <summary>
/// What <see cref="CSharpKernel.CompleteAsync"/> found: the candidates, and the part of the cell
/// (<see cref="Start"/> to <see cref="End"/>, UTF-16 offsets) that a chosen candidate replaces,
/// such as the half-typed name after <c>machine.</c>.
/// </summary>
public sealed record Completions(int Start, int End, IReadOnlyList<CompletionItem> Items);
