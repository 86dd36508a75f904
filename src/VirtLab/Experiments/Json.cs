using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VirtLab.Experiments;

/// <summary>Writes indented JSON to a string, with text left readable (no \u escapes for quotes, '+' or '&lt;').</summary>
internal static class Json
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(json);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
