namespace VirtLab.Notebooks;

/// <summary>What a notebook cell holds: prose to show, or code to run.</summary>
public enum CellKind
{
    /// <summary>Markdown prose. The runner passes it through unchanged.</summary>
    Markdown,

    /// <summary>Source code for the kernel named by <see cref="NotebookCell.KernelName"/>.</summary>
    Code,

    /// <summary>A raw cell (nbformat's <c>raw</c>): kept as is, never run, never rendered.</summary>
    Raw,
}
