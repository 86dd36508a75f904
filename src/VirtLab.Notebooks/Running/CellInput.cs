namespace VirtLab.Notebooks;

/// <summary>
/// The console's input inside the cell host. <c>Console.ReadLine()</c> in a running cell asks the
/// front end for a line: Jupyter's <c>input_request</c>, which VS Code and JupyterLab show as an
/// input box. Where nobody can answer (the headless runner, a front end that does not allow input,
/// code outside a running cell) it gets null, the end of the input, at once, so a cell never waits
/// for a keyboard that is not there.
/// </summary>
/// <param name="askForLine">Asks the front end for a line on behalf of a running cell's capture; null is the end of input.</param>
internal sealed class CellInput(Func<CellCapture, string?> askForLine) : TextReader
{
    /// <summary>What is left of the last line for <see cref="Read()"/> and <see cref="Peek"/>, its newline included.</summary>
    private string rest = "";

    /// <inheritdoc/>
    public override string? ReadLine()
    {
        if (rest.Length > 0)
        {
            var line = rest.TrimEnd('\n');
            rest = "";
            return line;
        }
        return Ask();
    }

    /// <inheritdoc/>
    public override int Peek() => Fill() ? rest[0] : -1;

    /// <inheritdoc/>
    public override int Read()
    {
        if (!Fill()) return -1;
        var next = rest[0];
        rest = rest[1..];
        return next;
    }

    private bool Fill()
    {
        if (rest.Length > 0) return true;
        if (Ask() is not { } line) return false;
        rest = line + "\n";
        return true;
    }

    private string? Ask() => CellCapture.Current is { Ended: false } cell ? askForLine(cell) : null;
}
