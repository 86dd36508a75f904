using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace VirtLab.Experiments;

/// <summary>
/// VirtLab's one table type: a name, named columns, and rows of numbers or text. Experiments return
/// their results as tables (beside their typed rows), the <c>virtlab</c> command prints them as text,
/// CSV or JSON, and notebooks show them as HTML and draw charts from them.
/// <para>
/// Build one from any records with <see cref="From{T}"/> (one column per property), or column by
/// column with the constructor and <see cref="Add"/>. Read it by column name, never by position:
/// <see cref="Column"/> and <see cref="Numbers"/>.
/// </para>
/// <example>
/// <code>
/// var table = Table.From(rows, "speed");                  // columns from the record's properties
/// var manual = new Table("guests", "vms", "MIPS").Add(1, 40.5).Add(2, 20.25);
/// Console.Write(table.ToCsv());
/// </code>
/// </example>
/// </summary>
public sealed class Table
{
    private readonly List<object?[]> _rows = [];

    /// <summary>An empty table with the given column names.</summary>
    public Table(string name, params IEnumerable<string> columns)
    {
        Name = name;
        Columns = columns.ToArray();
        if (Columns.Count == 0) throw new ArgumentException($"table {name}: a table needs at least one column", nameof(columns));
    }

    /// <summary>The table's name: the heading of its text form, <c># table: NAME</c> in CSV, <c>"name"</c> in JSON.</summary>
    public string Name { get; }

    /// <summary>A caption for notebooks (HTML); without one the <see cref="Name"/> is shown.</summary>
    public string? Title { get; set; }

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows, each with one value per column (for formatting and export; lessons read typed rows or <see cref="Column"/>).</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Rows => _rows;

    /// <summary>Adds a row; it must have exactly one value per column. Returns the table, so calls chain.</summary>
    public Table Add(params object?[] values)
    {
        if (values.Length != Columns.Count)
            throw new ArgumentException($"table {Name}: the row has {values.Length} values but the table has {Columns.Count} columns ({string.Join(", ", Columns)})", nameof(values));
        _rows.Add(values);
        return this;
    }

    /// <summary>
    /// Adds one row per record in <paramref name="rows"/>: the <paramref name="leading"/> values first,
    /// then the record's columns (as <see cref="From{T}"/> makes them). For series of several runs in
    /// one table, with the run's setting in front of every sample.
    /// </summary>
    public Table AddRows<T>(IEnumerable<T> rows, params object?[] leading)
    {
        var members = MembersOf(typeof(T));
        foreach (var row in rows)
        {
            var values = new object?[leading.Length + members.Length];
            leading.CopyTo(values, 0);
            for (int i = 0; i < members.Length; i++) values[leading.Length + i] = row is null ? null : members[i].Read(row);
            Add(values);
        }
        return this;
    }

    /// <summary>The values of one column, in row order.</summary>
    public IEnumerable<object?> Column(string name)
    {
        int index = IndexOf(name);
        return _rows.Select(r => r[index]);
    }

    /// <summary>The values of one numeric column as doubles (for charts).</summary>
    public IEnumerable<double> Numbers(string name) => Column(name).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture));

    private int IndexOf(string column)
    {
        for (int i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        throw new KeyNotFoundException($"table {Name} has no column '{column}' (columns: {string.Join(", ", Columns)})");
    }

    /// <summary>
    /// A table with one column per public property (or field) of <typeparamref name="T"/>, in
    /// declaration order, and one row per item: records and anonymous objects become tables directly.
    /// A property's column is named by its <see cref="ColumnAttribute"/>, or else after the property.
    /// </summary>
    public static Table From<T>(IEnumerable<T> rows, string name = "table") => new Table(name, ColumnsOf<T>()).AddRows(rows);

    /// <summary>The columns <see cref="From{T}"/> makes for records of type <typeparamref name="T"/>.</summary>
    public static IReadOnlyList<string> ColumnsOf<T>() => MembersOf(typeof(T)).Select(m => m.Column).ToArray();

    /// <summary>One column of a row type: its name and how to read it from a row.</summary>
    private sealed record Member(string Column, Func<object, object?> Read);

    private static readonly ConcurrentDictionary<Type, Member[]> membersByType = new();

    private static Member[] MembersOf(Type type) => membersByType.GetOrAdd(type, static t =>
    {
        var properties = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .Select(p => Describe(p, p.PropertyType, p.GetValue));
        var fields = t.GetFields(BindingFlags.Public | BindingFlags.Instance)
            .OrderBy(f => f.MetadataToken)
            .Select(f => Describe(f, f.FieldType, f.GetValue));
        var members = properties.Concat(fields).ToArray();
        return members.Length > 0 ? members : [new Member("value", row => row)];
    });

    private static Member Describe(MemberInfo member, Type type, Func<object, object?> read)
    {
        var column = member.GetCustomAttribute<ColumnAttribute>();
        if (type == typeof(bool) && column is { WhenTrue: { } yes, WhenFalse: { } no })
            return new Member(column.Name, row => (bool)read(row)! ? yes : no);
        return new Member(column?.Name ?? member.Name, read);
    }

    /// <summary>
    /// How a value is written in the text and HTML forms: doubles with 3 decimals below 10, 1 below
    /// 1000 and none from there; other numbers as they are; sequences joined by commas. (CSV and
    /// JSON write doubles exactly.)
    /// </summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "",
        double d => d.ToString(Math.Abs(d) >= 1000 ? "F0" : Math.Abs(d) >= 10 ? "F1" : "F3", CultureInfo.InvariantCulture),
        float f => FormatValue((double)f),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable sequence => string.Join(", ", sequence.Cast<object?>().Select(FormatValue)),
        _ => value.ToString() ?? "",
    };

    /// <summary>True for the numeric types, which the text and HTML forms align to the right.</summary>
    public static bool IsNumber(object? value) => value is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal;

    /// <summary>The table as CSV: a header row, then the rows; RFC 4180 quoting, invariant culture, doubles written exactly ("R").</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", Columns.Select(Quote)));
        foreach (var row in _rows)
            csv.AppendLine(string.Join(",", row.Select(v => Quote(v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : FormatValue(v)))));
        return csv.ToString();
    }

    private static string Quote(string field) => field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    /// <summary>Writes <see cref="ToCsv"/> to a file.</summary>
    public void SaveCsv(string path) => File.WriteAllText(path, ToCsv());

    /// <summary>The table as aligned text under a <c>## NAME</c> heading (what <c>virtlab experiment</c> prints).</summary>
    public string ToText()
    {
        var cells = new List<string[]> { Columns.ToArray() };
        cells.AddRange(_rows.Select(r => r.Select(FormatValue).ToArray()));
        var widths = Columns.Select((_, i) => cells.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        text.AppendLine($"## {Name}");
        for (int r = 0; r < cells.Count; r++)
        {
            text.AppendLine(string.Join("  ", cells[r].Select((c, i) => r > 0 && c.Length > 0 && IsNumber(_rows[r - 1][i]) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
            if (r == 0) text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToText();

    /// <summary>The table as an indented JSON object: name, columns, and rows as objects keyed by column.</summary>
    public string ToJson() => Json.Write(WriteJson);

    internal void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", Name);
        json.WriteStartArray("columns");
        foreach (var c in Columns) json.WriteStringValue(c);
        json.WriteEndArray();
        json.WriteStartArray("rows");
        foreach (var row in _rows)
        {
            json.WriteStartObject();
            for (int i = 0; i < Columns.Count; i++)
            {
                json.WritePropertyName(Columns[i]);
                switch (row[i])
                {
                    case null: json.WriteNullValue(); break;
                    case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
                    case double: json.WriteNullValue(); break;
                    case int n: json.WriteNumberValue(n); break;
                    case long n: json.WriteNumberValue(n); break;
                    case ulong n: json.WriteNumberValue(n); break;
                    case uint n: json.WriteNumberValue(n); break;
                    case bool b: json.WriteBooleanValue(b); break;
                    default: json.WriteStringValue(FormatValue(row[i])); break;
                }
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
