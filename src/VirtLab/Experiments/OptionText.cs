using System.Collections;
using System.Globalization;
using VirtLab.Guest;
using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>
/// How option values are written on the command line, by type: numbers in invariant culture, choices
/// (enums) in lower case, workloads as <see cref="Workload.Parse"/> reads them, lists separated by
/// commas, or by semicolons when their items contain commas (workloads, pairs and mixes of them).
/// </summary>
internal static class OptionText
{
    /// <summary>Reads a value of <paramref name="type"/>. Throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static object Parse(Type type, string text)
    {
        text = text.Trim();
        if (ElementOf(type) is { } element)
        {
            var parts = text.Split(Separator(element), StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var list = Array.CreateInstance(element, parts.Length);
            for (int i = 0; i < parts.Length; i++) list.SetValue(Parse(element, parts[i]), i);
            return list;
        }
        if (type == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : throw new FormatException($"'{text}' is not a whole number");
        if (type == typeof(ulong))
            return ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong u) ? u : throw new FormatException($"'{text}' is not a whole number >= 0");
        if (type == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : throw new FormatException($"'{text}' is not a number");
        if (type == typeof(bool))
            return bool.TryParse(text, out bool b) ? b : throw new FormatException($"'{text}' is not true or false");
        if (type == typeof(string)) return text;
        if (type.IsEnum)
            return Enum.GetValues(type).Cast<object>().FirstOrDefault(v => Format(v) == text.ToLowerInvariant())
                ?? throw new FormatException($"'{text}' is not one of {string.Join(", ", Enum.GetValues(type).Cast<object>().Select(Format))}");
        if (type == typeof(Workload))
            return Workload.Parse(text, out string? error) ?? throw new FormatException(error);
        if (type == typeof(WorkloadPair))
            return WorkloadPair.Parse(text, out string? error) ?? throw new FormatException(error);
        if (type == typeof(WorkloadMix))
            return WorkloadMix.Parse(text, out string? error) ?? throw new FormatException(error);
        if (type == typeof(ReclamationSetting))
            return ReclamationSetting.Parse(text, out string? error) ?? throw new FormatException(error);
        if (type == typeof(ReclamationThresholds))
        {
            var t = (double[])Parse(typeof(IReadOnlyList<double>), text);
            return t.Length == 4 ? new ReclamationThresholds(t[0], t[1], t[2], t[3]) : throw new FormatException($"'{text}' is not four fractions: high,soft,hard,low");
        }
        throw new NotSupportedException($"options of type {type.Name} cannot be read from the command line");
    }

    /// <summary>A value as the command line writes it (what <see cref="Parse"/> reads back).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        Enum e => e.ToString().ToLowerInvariant(),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => s,
        ReclamationThresholds t => Format(new[] { t.High, t.Soft, t.Hard, t.Low }),
        IEnumerable list => string.Join(Separator(ElementOf(value.GetType()) ?? typeof(object)).ToString(), list.Cast<object?>().Select(Format)),
        _ => value.ToString() ?? "",
    };

    /// <summary>How a value of <paramref name="type"/> looks, for the help text.</summary>
    public static string Hint(Type type)
    {
        if (ElementOf(type) is { } element) return Hint(element) + Separator(element) + "...";
        if (type == typeof(int) || type == typeof(ulong)) return "N";
        if (type == typeof(double)) return "X";
        if (type.IsEnum) return string.Join("|", Enum.GetValues(type).Cast<object>().Select(Format));
        if (type == typeof(Workload)) return "WORKLOAD";
        if (type == typeof(WorkloadPair)) return "WORKLOAD+WORKLOAD";
        if (type == typeof(WorkloadMix)) return "MIX";
        if (type == typeof(string)) return "NAME";
        if (type == typeof(bool)) return "true|false";
        if (type == typeof(ReclamationSetting)) return string.Join("|", ReclamationSetting.All.Select(s => s.Name));
        if (type == typeof(ReclamationThresholds)) return "HIGH,SOFT,HARD,LOW";
        return "VALUE";
    }

    /// <summary>Items that contain commas themselves are separated by semicolons.</summary>
    private static char Separator(Type element) => element == typeof(Workload) || element == typeof(WorkloadPair) || element == typeof(WorkloadMix) ? ';' : ',';

    /// <summary>The item type of a list type (an array or IReadOnlyList&lt;T&gt;), or null.</summary>
    private static Type? ElementOf(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0]
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))?.GetGenericArguments()[0];
}
