using System.Text.Json.Nodes;

namespace VirtLab.Notebooks;

/// <summary>
/// One cell of a notebook: its kind, the kernel that runs it, its source and, once executed,
/// its outputs. The cell's original metadata is kept untouched so that a saved notebook
/// still opens in VS Code exactly as before.
/// </summary>
public sealed class NotebookCell
{
    /// <summary>Creates a cell.</summary>
    public NotebookCell(CellKind kind, string source, string kernelName, string? id = null, JsonObject? metadata = null)
    {
        Kind = kind;
        Source = source;
        KernelName = kernelName;
        Id = id;
        Metadata = metadata ?? new JsonObject();
    }

    /// <summary>Markdown, code or raw.</summary>
    public CellKind Kind { get; }

    /// <summary>The cell's text, lines joined with <c>\n</c>.</summary>
    public string Source { get; }

    /// <summary>The kernel that runs the cell, normalized (<c>csharp</c>, <c>fsharp</c>, <c>markdown</c>, ...).</summary>
    public string KernelName { get; }

    /// <summary>The nbformat 4.5 cell id, if the file had one; kept when the notebook is saved.</summary>
    public string? Id { get; set; }

    /// <summary>The cell's metadata exactly as read (Polyglot writes the kernel name here).</summary>
    public JsonObject Metadata { get; }

    /// <summary>The outputs, in the order they were produced.</summary>
    public List<CellOutput> Outputs { get; } = [];

    /// <summary>The execution number shown as <c>[n]</c> in front ends; null if never run.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>True for a code cell that the C# kernel runs.</summary>
    public bool IsCSharp => Kind == CellKind.Code && KernelNames.IsCSharp(KernelName);

    /// <summary>True when any output is an error.</summary>
    public bool HasError => Outputs.OfType<ErrorOutput>().Any();
}
