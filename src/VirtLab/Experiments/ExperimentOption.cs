using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// One option of an experiment, as the command line and a notebook see it: its name
/// (<c>--pcpus</c>), the property it sets (<see cref="CpuOvercommitOptions.PhysicalCpus"/>), and a
/// description read from that property's doc comment (in VirtLab.xml, which the build writes next
/// to VirtLab.dll). The doc comment is the one place the description is written.
/// </summary>
public sealed class ExperimentOption
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ExperimentOption>> optionsByType = new();

    private ExperimentOption(PropertyInfo property)
    {
        Property = property;
        Name = property.GetCustomAttribute<OptionNameAttribute>()?.Name ?? KebabCase(property.Name);
    }

    private string? _description;

    /// <summary>The option's name on the command line, without the leading <c>--</c>; also the field that errors about it name.</summary>
    public string Name { get; }

    /// <summary>The property of the options record that the option sets.</summary>
    public PropertyInfo Property { get; }

    /// <summary>What the option is, its unit and its default: the summary of the property's doc comment, as plain text (read when first asked for).</summary>
    public string Description => _description ??= XmlDocumentation.SummaryOf(Property)
        ?? $"(no description: {XmlDocumentation.FileName} was not found next to {Path.GetFileName(typeof(ExperimentOption).Assembly.Location)})";

    /// <summary>How a value is written on the command line (<c>X,X,...</c> for a list of numbers, <c>type1|type2</c> for a choice).</summary>
    public string ValueHint => OptionText.Hint(Property.PropertyType);

    /// <summary>The option's value in <paramref name="options"/>, written as the command line takes it.</summary>
    public string ValueIn(ExperimentOptions options) => OptionText.Format(Property.GetValue(options));

    /// <summary>
    /// Parses <paramref name="text"/> as the command line gives it and sets the option in
    /// <paramref name="options"/> (a record fresh from its constructor). Throws
    /// <see cref="ConfigurationException"/> naming the option if the text is not a value of its type;
    /// whether the value makes sense is <see cref="ExperimentOptions.Validate"/>'s to say.
    /// </summary>
    public void Set(ExperimentOptions options, string text)
    {
        object value;
        try { value = OptionText.Parse(Property.PropertyType, text); }
        catch (FormatException e) { throw new ConfigurationException(Name, e.Message); }
        Property.SetValue(options, value);
    }

    /// <summary>The options of the options record <paramref name="optionsType"/>: its own properties in declaration order, then the seed.</summary>
    public static IReadOnlyList<ExperimentOption> Of(Type optionsType)
    {
        if (!typeof(ExperimentOptions).IsAssignableFrom(optionsType)) throw new ArgumentException($"{optionsType.Name} is not an ExperimentOptions record", nameof(optionsType));
        return optionsByType.GetOrAdd(optionsType, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.DeclaringType == t ? 0 : 1).ThenBy(p => p.MetadataToken)
            .Select(p => new ExperimentOption(p))
            .ToList());
    }

    /// <summary><c>IdlePages</c> to <c>idle-pages</c>.</summary>
    private static string KebabCase(string name)
    {
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
