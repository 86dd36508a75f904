namespace VirtLab.Notebooks;

/// <summary>
/// Kernel names as Polyglot Notebooks writes them. A notebook cell names its kernel
/// (<c>csharp</c>, <c>fsharp</c>, <c>markdown</c>, ...); several spellings mean the same kernel.
/// </summary>
public static class KernelNames
{
    /// <summary>The C# kernel, the only one VirtLab executes.</summary>
    public const string CSharp = "csharp";

    /// <summary>The markdown "kernel": such cells are prose, not code.</summary>
    public const string Markdown = "markdown";

    /// <summary>Kernel names (and aliases) that start a new cell in a .dib file.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "csharp", "c#", "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html",
        "markdown", "md", "mermaid", "sql", "kql", "value", "http", "python", "r",
    };

    /// <summary>Maps an alias to its canonical name: <c>C#</c> → <c>csharp</c>, <c>md</c> → <c>markdown</c>.</summary>
    public static string Normalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "c#" or "cs" or "csharp" or ".net-csharp" => CSharp,
        "f#" or "fs" or "fsharp" => "fsharp",
        "md" or "markdown" => Markdown,
        "powershell" or "pwsh" => "pwsh",
        "js" or "javascript" => "javascript",
        var other => other,
    };

    /// <summary>True when <paramref name="name"/> names the C# kernel.</summary>
    public static bool IsCSharp(string name) => Normalize(name) == CSharp;

    /// <summary>True when <paramref name="name"/> names the markdown kernel.</summary>
    public static bool IsMarkdown(string name) => Normalize(name) == Markdown;
}
