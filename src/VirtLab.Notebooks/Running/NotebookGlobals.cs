using Microsoft.AspNetCore.Html;

namespace VirtLab.Notebooks;

/// <summary>
/// The members every C# cell can call without a <c>using</c>, as in Polyglot Notebooks:
/// <c>display(value)</c> and <c>HTML(markup)</c>.
/// <para>
/// Roslyn scripting makes the public members of a "globals" object visible to the script as if
/// they were declared in it; the runner passes an instance of this class as that object.
/// The names are lower-case on purpose: they match the kernel's, so notebooks run unchanged in both.
/// </para>
/// </summary>
public class NotebookGlobals
{
    /// <summary>
    /// Shows <paramref name="value"/> below the cell, formatted by .NET Interactive's Formatter
    /// (HTML for objects, plain text for strings). Optional <paramref name="mimeTypes"/> choose the formats.
    /// </summary>
#pragma warning disable IDE1006 // lower-case names match the Polyglot kernel
    public void display(object? value, params string[] mimeTypes) =>
        CellCapture.Current?.Add(DisplayedValue.Format(value, mimeTypes));

    /// <summary>Wraps markup so that it is displayed as HTML rather than as a string.</summary>
    public IHtmlContent HTML(string markup) => new HtmlString(markup);
#pragma warning restore IDE1006
}
