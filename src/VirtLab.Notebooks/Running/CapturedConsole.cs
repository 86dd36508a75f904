using System.Text;

namespace VirtLab.Notebooks;

/// <summary>
/// Stands in for <see cref="Console.Out"/> (or <see cref="Console.Error"/>) while a notebook runs:
/// text written by a cell goes to that cell's <see cref="CellCapture"/>; text written outside any
/// cell goes to the console the host had before.
/// </summary>
internal sealed class CapturedConsole(string streamName, TextWriter hostConsole) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (value is null) return;
        if (CellCapture.Current is { } capture) capture.Write(streamName, value);
        else hostConsole.Write(value);
    }

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override void Flush()
    {
        if (CellCapture.Current is null) hostConsole.Flush();
    }
}
