using System.Text.Json.Nodes;

namespace VirtLab.Notebooks;

/// <summary>
/// Kernel names as Polyglot Notebooks writes them. A notebook cell names its kernel
/// (<c>csharp</c>, <c>fsharp</c>, <c>markdown</c>, ...); several spellings mean the same kernel.
/// </summary>
public static class KernelNames
{
    /// <summary>The C# kernel, the only one VirtLab executes.</summary>
    public const string CSharp = "csharp";

    /// <summary>
    /// The kernelspec name every lesson gives in <c>metadata.kernelspec.name</c>, and under which
    /// <c>virtlab kernel install</c> installs VirtLab's Jupyter kernel. VS Code, JupyterLab and
    /// nbclient pick the installed spec whose name equals the notebook's, so lessons open with
    /// VirtLab's kernel; the <c>.net-</c> prefix is how Polyglot Notebooks recognizes a .NET
    /// notebook, so they still open there where a user has it.
    /// </summary>
    public const string KernelSpecName = ".net-virtlab";

    /// <summary>The kernelspec's display name, shown in kernel pickers.</summary>
    public const string KernelSpecDisplayName = "C# (VirtLab)";

    /// <summary>The kernelspec's language: VS Code maps <c>C#</c> to its C# grammar and matches kernels by it.</summary>
    public const string KernelSpecLanguage = "C#";

    /// <summary>A lesson's <c>metadata.kernelspec</c>: <c>{"display_name": "C# (VirtLab)", "language": "C#", "name": ".net-virtlab"}</c>.</summary>
    public static JsonObject KernelSpecMetadata() => new()
    {
        ["display_name"] = KernelSpecDisplayName,
        ["language"] = KernelSpecLanguage,
        ["name"] = KernelSpecName,
    };

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
        "c#" or "cs" or "csharp" or ".net-csharp" or KernelSpecName => CSharp,
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
