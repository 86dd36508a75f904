namespace VirtLab.Notebooks;

/// <summary>
/// One output of an executed code cell, in the three shapes VS Code stores in an .ipynb file:
/// text streams, displayed values and errors.
/// </summary>
public abstract record CellOutput;

/// <summary>
/// Text a cell wrote to the console. <see cref="Name"/> is <c>stdout</c> or <c>stderr</c>.
/// Stored as <c>{"output_type": "stream", "name": ..., "text": [...]}</c>.
/// </summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput
{
    /// <summary>The name of the standard output stream.</summary>
    public const string StandardOutput = "stdout";

    /// <summary>The name of the standard error stream.</summary>
    public const string StandardError = "stderr";
}

/// <summary>
/// A value shown by <c>display(...)</c> or by a cell's trailing expression: the same value
/// formatted for one or more MIME types (<c>text/html</c>, <c>text/plain</c>, ...), so each
/// front end can pick the richest one it understands.
/// Stored as <c>{"output_type": "display_data", "data": {...}, "metadata": {}}</c>.
/// </summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data) : CellOutput
{
    /// <summary>
    /// True for the value of a cell's trailing expression, which Jupyter front ends show as the
    /// cell's result (<c>execute_result</c>, with the <c>[n]</c> count); false for <c>display(...)</c>.
    /// VS Code stores both as <c>display_data</c>, and so does VirtLab's runner.
    /// </summary>
    public bool IsResult { get; init; }

    /// <summary>
    /// True for MIME types whose data is JSON (<c>application/json</c>,
    /// <c>application/vnd.plotly.v1+json</c>, ...). Their <see cref="Data"/> entry holds JSON text,
    /// which .ipynb files and Jupyter messages carry as a JSON value rather than as a string.
    /// </summary>
    public static bool IsJsonMimeType(string mimeType) =>
        mimeType.StartsWith("application/", StringComparison.Ordinal)
        && (mimeType.EndsWith("/json", StringComparison.Ordinal) || mimeType.EndsWith("+json", StringComparison.Ordinal));

    /// <summary>The HTML form of the value, if it has one.</summary>
    public string? Html => Data.GetValueOrDefault("text/html");

    /// <summary>The plain-text form of the value, if it has one.</summary>
    public string? PlainText => Data.GetValueOrDefault("text/plain");
}

/// <summary>
/// A failed cell: a compile error, an exception, a timeout or an unsupported kernel.
/// <see cref="Value"/> carries the message (for a compile error, <c>(27,9): error CS0200: ...</c>).
/// Stored as <c>{"output_type": "error", "ename": ..., "evalue": ..., "traceback": [...]}</c>.
/// </summary>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : CellOutput
{
    /// <summary>An error whose traceback is just its message, as the Polyglot kernel writes it.</summary>
    public static ErrorOutput FromMessage(string message) => new("Error", message, [message]);
}
