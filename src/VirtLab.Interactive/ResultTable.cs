using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace VirtLab.Interactive;

/// <summary>
/// A small table of experiment results: named columns and rows of values. Notebooks display it as
/// an HTML table; <see cref="ToCsv"/> exports it for a spreadsheet or a plot elsewhere.
/// <example>
/// <code>
/// var table = new ResultTable("guests", "instructions", "MIPS");
/// table.Add(1, 1_000_000, 42.0);
/// table                                              // shown as a table
/// ResultTable.From(records)                          // columns from a record's properties
/// </code>
/// </example>
/// </summary>
public sealed class ResultTable
{
    private readonly List<object?[]> _rows = [];

    /// <summary>Creates an empty table with the given column names.</summary>
    public ResultTable(params string[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException("a table needs at least one column", nameof(columns));
        Columns = columns;
    }

    /// <summary>Creates an empty table with the given column names.</summary>
    public ResultTable(IEnumerable<string> columns) : this(columns.ToArray()) { }

    /// <summary>An optional caption shown above the table.</summary>
    public string? Title { get; set; }

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows; each has one value per column.</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Rows => _rows;

    /// <summary>Adds a row; it must have exactly one value per column. Returns the table, so calls chain.</summary>
    public ResultTable Add(params object?[] values)
    {
        if (values.Length != Columns.Count)
            throw new ArgumentException($"the row has {values.Length} values but the table has {Columns.Count} columns ({string.Join(", ", Columns)})", nameof(values));
        _rows.Add(values);
        return this;
    }

    /// <summary>The values of one column, in row order.</summary>
    public IEnumerable<object?> Column(string name)
    {
        int index = Columns.ToList().IndexOf(name);
        if (index < 0) throw new ArgumentException($"no column '{name}' (columns: {string.Join(", ", Columns)})", nameof(name));
        return _rows.Select(r => r[index]);
    }

    /// <summary>The values of one numeric column as doubles, for charts.</summary>
    public IEnumerable<double> Numbers(string name) => Column(name).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture));

    /// <summary>
    /// A table with one column per public readable property (or field) of <typeparamref name="T"/>
    /// and one row per item: records and anonymous objects become tables directly.
    /// </summary>
    public static ResultTable From<T>(IEnumerable<T> items, string? title = null)
    {
        var members = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => (p.Name, Get: (Func<object, object?>)p.GetValue))
            .Concat(typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => (f.Name, Get: (Func<object, object?>)f.GetValue)))
            .ToList();
        if (members.Count == 0) members.Add(("value", item => item));
        var table = new ResultTable(members.Select(m => m.Name)) { Title = title };
        foreach (var item in items)
            table.Add(members.Select(m => item is null ? null : m.Get(item)).ToArray());
        return table;
    }

    /// <summary>The table as CSV (RFC 4180 quoting, invariant culture, header row first).</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", Columns.Select(Quote)));
        foreach (var row in _rows) csv.AppendLine(string.Join(",", row.Select(v => Quote(Text(v)))));
        return csv.ToString();

        static string Quote(string field) =>
            field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }

    /// <summary>Writes <see cref="ToCsv"/> to a file.</summary>
    public void SaveCsv(string path) => File.WriteAllText(path, ToCsv());

    /// <summary>The table as HTML (what a notebook shows).</summary>
    public string ToHtml()
    {
        var html = Html.Open("result-table");
        if (Title is not null) html.Append("<div class=\"caption\">").Append(Html.Encode(Title)).Append("</div>");
        html.Append("<table><thead><tr>");
        foreach (var column in Columns) html.Append("<th>").Append(Html.Encode(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in _rows)
        {
            html.Append("<tr>");
            foreach (var value in row)
                html.Append(IsNumber(value) ? "<td class=\"num\">" : "<td>").Append(Html.Encode(Text(value))).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var widths = Columns.Select((c, i) => Math.Max(c.Length, _rows.Count == 0 ? 0 : _rows.Max(r => Text(r[i]).Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join("  ", Columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var row in _rows)
            text.AppendLine(string.Join("  ", row.Select((v, i) => IsNumber(v) ? Text(v).PadLeft(widths[i]) : Text(v).PadRight(widths[i]))).TrimEnd());
        return text.ToString();
    }

    internal static string Text(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable sequence => string.Join(", ", sequence.Cast<object?>().Select(Text)),
        _ => value.ToString() ?? "",
    };

    private static bool IsNumber(object? value) => value is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal;
}
