using System.Text;

namespace VirtLab.Experiments;

/// <summary>
/// What every experiment returns, whatever its rows: its tables, its headline figures as sentences,
/// and notes on how to read them. Each experiment's own result type (for example
/// <see cref="CpuOvercommitResult"/>) adds typed rows and a typed headline; this base gives the
/// <c>virtlab</c> command and notebooks one way to print any of them.
/// </summary>
public abstract class ExperimentResult
{
    private IReadOnlyList<Table>? _tables;
    private IReadOnlyList<(string Name, string Value)>? _headlines;

    /// <summary>A result of the experiment called <paramref name="name"/>, with notes on how to read it.</summary>
    protected ExperimentResult(string name, IReadOnlyList<string> notes)
    {
        Name = name;
        Notes = notes;
    }

    /// <summary>The experiment's name, as <c>virtlab experiment NAME</c> knows it.</summary>
    public string Name { get; }

    /// <summary>The result's tables, built from its typed rows (see <see cref="CreateTables"/>).</summary>
    public IReadOnlyList<Table> Tables => _tables ??= CreateTables().ToList();

    /// <summary>The few figures a lesson quotes, each as a name and a sentence (see <see cref="DescribeHeadline"/>).</summary>
    public IReadOnlyList<(string Name, string Value)> Headlines => _headlines ??= DescribeHeadline().ToList();

    /// <summary>How to read the numbers: the setup, the definitions of the columns, caveats.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The table called <paramref name="name"/>.</summary>
    public Table TableNamed(string name) => Tables.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"{Name} has no table '{name}' (tables: {string.Join(", ", Tables.Select(t => t.Name))})");

    /// <summary>The typed rows as tables, in the order they are printed.</summary>
    protected abstract IEnumerable<Table> CreateTables();

    /// <summary>The typed headline as sentences, in the order they are printed.</summary>
    protected abstract IEnumerable<(string Name, string Value)> DescribeHeadline();

    /// <summary>Everything as text: each table aligned, then the headlines and the notes.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine($"# {Name}");
        foreach (var t in Tables) { text.AppendLine(); text.Append(t.ToText()); }
        if (Headlines.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## headlines");
            foreach (var (n, v) in Headlines) text.AppendLine($"- {n}: {v}");
        }
        foreach (var n in Notes) text.AppendLine($"note: {n}");
        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToText();

    /// <summary>All tables as CSV, each preceded by a <c># table: NAME</c> line.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        foreach (var t in Tables) { csv.AppendLine($"# table: {t.Name}"); csv.Append(t.ToCsv()); }
        return csv.ToString();
    }

    /// <summary>Everything as one JSON object: the experiment's name, headlines, notes and tables.</summary>
    public string ToJson() => Json.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("experiment", Name);
        json.WriteStartObject("headlines");
        foreach (var (n, v) in Headlines) json.WriteString(n, v);
        json.WriteEndObject();
        json.WriteStartArray("notes");
        foreach (var n in Notes) json.WriteStringValue(n);
        json.WriteEndArray();
        json.WriteStartArray("tables");
        foreach (var t in Tables) t.WriteJson(json);
        json.WriteEndArray();
        json.WriteEndObject();
    });
}
