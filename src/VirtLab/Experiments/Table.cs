using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VirtLab.Experiments;

/// <summary>A named table of results: columns and rows of numbers or text, ready for charts, CSV and JSON.</summary>
public sealed class Table(string name, params string[] columns)
{
    private readonly List<object[]> _rows = new();

    public string Name { get; } = name;
    public IReadOnlyList<string> Columns { get; } = columns;
    public IReadOnlyList<object[]> Rows => _rows;

    public void Add(params object[] row)
    {
        if (row.Length != Columns.Count) throw new ArgumentException($"table {Name}: {row.Length} values for {Columns.Count} columns");
        _rows.Add(row);
    }

    /// <summary>The values of one column.</summary>
    public IEnumerable<object> Column(string name) { int i = IndexOf(name); return _rows.Select(r => r[i]); }

    /// <summary>The number in <paramref name="column"/> of the first row whose <paramref name="keyColumn"/> is <paramref name="key"/>.</summary>
    public double Value(string keyColumn, object key, string column)
    {
        int k = IndexOf(keyColumn), c = IndexOf(column);
        var row = _rows.First(r => Equals(r[k], key));
        return Convert.ToDouble(row[c], CultureInfo.InvariantCulture);
    }

    private int IndexOf(string column)
    {
        for (int i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        throw new KeyNotFoundException($"table {Name} has no column '{column}'");
    }

    internal static string Format(object value) => value switch
    {
        double d => d.ToString(Math.Abs(d) >= 1000 ? "F0" : Math.Abs(d) >= 10 ? "F1" : "F3", CultureInfo.InvariantCulture),
        float f => Format((double)f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", Columns.Select(Quote)));
        foreach (var row in _rows)
            sb.AppendLine(string.Join(",", row.Select(v => Quote(v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : Format(v)))));
        return sb.ToString();
    }

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    public string ToText()
    {
        var cells = new List<string[]> { Columns.ToArray() };
        cells.AddRange(_rows.Select(r => r.Select(Format).ToArray()));
        var widths = Columns.Select((_, i) => cells.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine($"## {Name}");
        for (int r = 0; r < cells.Count; r++)
        {
            sb.AppendLine(string.Join("  ", cells[r].Select((c, i) => r > 0 && cells[r][i].Length > 0 && IsNumber(_rows[r - 1][i]) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
            if (r == 0) sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        return sb.ToString();
    }

    private static bool IsNumber(object v) => v is double or float or int or long or ulong or uint;

    internal void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("name", Name);
        w.WriteStartArray("columns");
        foreach (var c in Columns) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteStartArray("rows");
        foreach (var row in _rows)
        {
            w.WriteStartObject();
            for (int i = 0; i < Columns.Count; i++)
            {
                w.WritePropertyName(Columns[i]);
                switch (row[i])
                {
                    case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
                    case double: w.WriteNullValue(); break;
                    case int n: w.WriteNumberValue(n); break;
                    case long n: w.WriteNumberValue(n); break;
                    case ulong n: w.WriteNumberValue(n); break;
                    case uint n: w.WriteNumberValue(n); break;
                    case bool b: w.WriteBooleanValue(b); break;
                    default: w.WriteStringValue(Format(row[i])); break;
                }
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}

/// <summary>What an experiment produced: tables, and headline numbers with a sentence each.</summary>
public sealed class ExperimentResult(string name)
{
    public string Name { get; } = name;
    public List<Table> Tables { get; } = new();
    /// <summary>The few numbers a lesson quotes, by name.</summary>
    public List<(string Name, string Value)> Headlines { get; } = new();
    public List<string> Notes { get; } = new();

    public Table Table(string name) => Tables.First(t => t.Name == name);

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {Name}");
        foreach (var t in Tables) { sb.AppendLine(); sb.Append(t.ToText()); }
        if (Headlines.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## headlines");
            foreach (var (n, v) in Headlines) sb.AppendLine($"- {n}: {v}");
        }
        foreach (var n in Notes) sb.AppendLine($"note: {n}");
        return sb.ToString();
    }

    /// <summary>All tables as CSV, each preceded by a "# table: NAME" line.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        foreach (var t in Tables) { sb.AppendLine($"# table: {t.Name}"); sb.Append(t.ToCsv()); }
        return sb.ToString();
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("experiment", Name);
            w.WriteStartObject("headlines");
            foreach (var (n, v) in Headlines) w.WriteString(n, v);
            w.WriteEndObject();
            w.WriteStartArray("notes");
            foreach (var n in Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteStartArray("tables");
            foreach (var t in Tables) t.WriteJson(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
