namespace VirtLab.Kernel.Messaging;

/// <summary>
/// Cursor positions in Jupyter messages count Unicode code points (protocol 5.2 and later), while
/// .NET strings and Roslyn count UTF-16 units; the two differ after any character outside the
/// Basic Multilingual Plane (an emoji in a comment, say).
/// </summary>
public static class TextPositions
{
    /// <summary>The UTF-16 offset in <paramref name="text"/> of code point <paramref name="codePoints"/>.</summary>
    public static int ToUtf16(string text, int codePoints)
    {
        var offset = 0;
        for (var seen = 0; seen < codePoints && offset < text.Length; seen++)
            offset += char.IsHighSurrogate(text[offset]) && offset + 1 < text.Length && char.IsLowSurrogate(text[offset + 1]) ? 2 : 1;
        return offset;
    }

    /// <summary>The number of code points in the first <paramref name="utf16Offset"/> UTF-16 units of <paramref name="text"/>.</summary>
    public static int ToCodePoints(string text, int utf16Offset)
    {
        var end = Math.Clamp(utf16Offset, 0, text.Length);
        var codePoints = 0;
        for (var i = 0; i < end; i++)
            if (!(char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))) codePoints++;
        return codePoints;
    }
}
