using System.Globalization;
using System.Text.RegularExpressions;

namespace VirtLab.Interactive;

/// <summary>
/// An answer reduced to what can be compared: a number, or a piece of text (also used for true/false,
/// enum names and choice letters). Both the computed answer and the student's go through here.
/// </summary>
internal readonly partial record struct AnswerValue(double? Number, string? Text)
{
    /// <summary>Digit separators a student may type inside a number: <c>1_000</c>, <c>1 000</c>.</summary>
    [GeneratedRegex(@"[_\s]")]
    private static partial Regex DigitSeparators();

    public bool IsNumber => Number.HasValue;

    /// <summary>The value of any C# answer: numbers of every type become numbers, everything else text.</summary>
    public static AnswerValue? From(object? value) => value switch
    {
        null => null,
        string text => new(null, text),
        bool flag => new(null, flag ? "true" : "false"),
        char letter => new(null, letter.ToString()),
        Enum member => new(null, member.ToString()),
        IConvertible number when Type.GetTypeCode(number.GetType()) is >= TypeCode.SByte and <= TypeCode.Decimal
            => new(number.ToDouble(CultureInfo.InvariantCulture), null),
        _ => new(null, Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>
    /// The value as a number: itself, or its text read as one (<c>"12.5"</c>, <c>"1_000"</c>,
    /// <c>"12 %"</c> reads as 12). Null when it is not a number.
    /// </summary>
    public double? AsNumber()
    {
        if (Number is { } number) return number;
        var text = DigitSeparators().Replace(Text ?? "", "").TrimEnd('%');
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    /// <summary>The text in the form compared: trimmed, spaces collapsed, lower case.</summary>
    public string NormalizedText => Student.Normalize(Text ?? Number?.ToString("R", CultureInfo.InvariantCulture)) ?? "";
}
