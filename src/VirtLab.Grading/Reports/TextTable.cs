using System.Text;

namespace VirtLab.Grading.Reports;

/// <summary>Columns padded to their widest cell, for terminal output; the last column is never padded (it holds messages).</summary>
internal sealed class TextTable(params string[] header)
{
    private readonly List<string[]> _rows = [header];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(StringBuilder output, string indent = "")
    {
        int columns = _rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => _rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        for (int r = 0; r < _rows.Count; r++)
        {
            var line = new StringBuilder(indent);
            for (int c = 0; c < _rows[r].Length; c++)
                line.Append(c == _rows[r].Length - 1 ? _rows[r][c] : _rows[r][c].PadRight(widths[c] + 2));
            output.AppendLine(line.ToString().TrimEnd());
            if (r == 0) output.AppendLine(indent + string.Join("  ", widths.Select(w => new string('-', w))));
        }
    }
}
