namespace VirtLab.Notebooks;

/// <summary>
/// A notebook file that cannot be read: broken JSON, or JSON that is not a notebook. The message
/// names the file and the place at fault, e.g. <c>lesson.ipynb:12:7: '}' is invalid after a value</c>
/// or <c>lesson.ipynb: cell 3 ($.cells[2].source): expected a string or a list of strings</c>.
/// </summary>
public sealed class NotebookFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>; <paramref name="line"/> and <paramref name="column"/> count from 1.</summary>
    public NotebookFormatException(string? path, string problem, long? line = null, long? column = null, Exception? inner = null)
        : base(Describe(path, problem, line, column), inner)
    {
        Path = path;
        Problem = problem;
        Line = line;
        Column = column;
    }

    /// <summary>The file, if the notebook came from one.</summary>
    public string? Path { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Problem { get; }

    /// <summary>The line at fault (from 1), when the JSON itself is broken.</summary>
    public long? Line { get; }

    /// <summary>The column at fault (from 1, in bytes), when the JSON itself is broken.</summary>
    public long? Column { get; }

    private static string Describe(string? path, string problem, long? line, long? column)
    {
        var place = path ?? "notebook";
        if (line is { } l) place += $":{l}" + (column is { } c ? $":{c}" : "");
        return $"{place}: {problem}";
    }
}
