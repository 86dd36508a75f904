namespace VirtLab.Experiments;

/// <summary>
/// Names the table column of a row record's property, when it is not the property's own name. The
/// experiments' rows use it to keep their CSV column names (<c>ready_pct_mean</c>) beside C# names
/// that read well (<c>ReadyPercentMean</c>). <see cref="Table.From{T}"/> reads it.
/// <example>
/// <code>
/// public sealed record Speed([property: Column("guests")] int Guests, [property: Column("on", WhenTrue = "yes", WhenFalse = "no")] bool On);
/// </code>
/// </example>
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ColumnAttribute(string name) : Attribute
{
    /// <summary>The column's name in tables, CSV and JSON.</summary>
    public string Name { get; } = name;

    /// <summary>For a <see cref="bool"/> property: the text a true value becomes in the table (for example "yes"). Null keeps the value a bool.</summary>
    public string? WhenTrue { get; set; }

    /// <summary>For a <see cref="bool"/> property: the text a false value becomes in the table (for example "no"). Null keeps the value a bool.</summary>
    public string? WhenFalse { get; set; }
}
