namespace VirtLab.Notebooks;

/// <summary>
/// One completion candidate: the text to insert and what it is (<c>method</c>, <c>property</c>,
/// <c>class</c>, <c>keyword</c>, ...), as Roslyn's completion service reports it.
/// </summary>
public sealed record CompletionItem(string Text, string Kind);
