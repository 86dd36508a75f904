using System.Globalization;
using System.Text.Json.Nodes;

namespace VirtLab.Grading.Exercises;

/// <summary>
/// The <c>parameters</c> object of one test in an exercise manifest, read by the exercise's judge.
/// A missing or mistyped value throws an <see cref="ExerciseFormatException"/> naming the file,
/// the test and the field, so an instructor's typo is found at once.
/// </summary>
public sealed class TestParameters
{
    private readonly JsonObject _values;
    private readonly string _where;

    internal TestParameters(JsonObject values, string file, string test)
    {
        _values = values;
        File = file;
        _where = $"test '{test}': parameters";
    }

    /// <summary>The manifest file the parameters come from.</summary>
    public string File { get; }

    /// <summary>Whether the test sets <paramref name="name"/>.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!_values.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue(out int i) && i >= min && i <= max) return i;
        throw Bad(name, $"'{node.ToJsonString()}' is not a whole number between {min} and {max}");
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public double Number(string name, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        if (!_values.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue(out double d) && d >= min && d <= max) return d;
        throw Bad(name, $"'{node.ToJsonString()}' is not a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>A text, or <paramref name="fallback"/> when absent.</summary>
    public string Text(string name, string fallback)
    {
        if (!_values.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue(out string? s)) return s;
        throw Bad(name, $"'{node.ToJsonString()}' is not a text");
    }

    /// <summary>A list of texts, or <paramref name="fallback"/> when absent.</summary>
    public IReadOnlyList<string> Texts(string name, IReadOnlyList<string> fallback)
    {
        if (!_values.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        if (node is JsonArray a && a.All(e => e is JsonValue v && v.TryGetValue(out string? _)))
            return a.Select(e => e!.GetValue<string>()).ToList();
        throw Bad(name, $"'{node.ToJsonString()}' is not a list of texts");
    }

    /// <summary>An error about <paramref name="name"/> that a judge found (a value out of its range, two that contradict).</summary>
    public ExerciseFormatException Bad(string name, string problem) => new(File, $"{_where}.{name}: {problem}");

    /// <summary>The parameters as compact JSON (for caches keyed by test content).</summary>
    public override string ToString() => _values.ToJsonString();
}
