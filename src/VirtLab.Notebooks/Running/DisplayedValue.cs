using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace VirtLab.Notebooks;

/// <summary>
/// Turns a value into a <see cref="DisplayOutput"/> the way the Polyglot kernel does, through
/// .NET Interactive's <see cref="Formatter"/>: each of the value's preferred MIME types
/// (<c>text/html</c> for most objects, <c>text/plain</c> for strings), plus a <c>text/plain</c>
/// form so that plain-text viewers still show something.
/// </summary>
internal static class DisplayedValue
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

    public static DisplayOutput Format(object? value, params string[] mimeTypes)
    {
        if (value is null) return new DisplayOutput(new Dictionary<string, string> { [PlainText] = Formatter.NullString });

        var wanted = mimeTypes.Length > 0 ? mimeTypes : Formatter.GetPreferredMimeTypesFor(value.GetType()).ToArray();
        var data = wanted.Distinct().ToDictionary(mimeType => mimeType, mimeType => Formatter.ToDisplayString(value, mimeType));

        // HTML content is its own best text form; anything else also gets plain text.
        if (value is not IHtmlContent && !data.ContainsKey(PlainText))
            data[PlainText] = Formatter.ToDisplayString(value, PlainText);
        return new DisplayOutput(data);
    }
}
