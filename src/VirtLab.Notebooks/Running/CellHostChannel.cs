using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtLab.Notebooks;

/// <summary>
/// One end of the pipe between <see cref="CSharpKernel"/> and <see cref="CellHost"/>:
/// <see cref="CellHostMessage"/>s as JSON, one a line. Sends may come from any thread; reads
/// come from one reader loop.
/// </summary>
internal sealed class CellHostChannel(Stream stream) : IDisposable
{
    private static readonly JsonSerializerOptions json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly StreamReader reader = new(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
    private readonly Lock writing = new();
    private bool broken;

    /// <summary>Sends <paramref name="message"/>; false when the other end is gone.</summary>
    public bool Send(CellHostMessage message)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(message, json);
        lock (writing)
        {
            if (broken) return false;
            try
            {
                stream.Write(line);
                stream.WriteByte((byte)'\n');
                stream.Flush();
                return true;
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException)
            {
                broken = true;
                return false;
            }
        }
    }

    /// <summary>The next message, or null when the other end closed the pipe.</summary>
    public async Task<CellHostMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }
            if (Parse(line) is { } message) return message;
            if (line is null) return null;
        }
    }

    /// <summary>
    /// The next message, waiting on this thread; null when the other end closed the pipe. The cell
    /// host reads this way, never asynchronously, so that its end of the pipe stays a blocking
    /// socket: see <see cref="CellHost"/> for why.
    /// </summary>
    public CellHostMessage? Receive()
    {
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (IOException)
            {
                return null;
            }
            if (Parse(line) is { } message) return message;
            if (line is null) return null;
        }
    }

    /// <summary>The message on <paramref name="line"/>; null for the end of the pipe or an empty line.</summary>
    private static CellHostMessage? Parse(string? line) => string.IsNullOrEmpty(line)
        ? null
        : JsonSerializer.Deserialize<CellHostMessage>(line, json) ?? throw new InvalidDataException("empty message on the cell host pipe");

    public void Dispose()
    {
        lock (writing) broken = true;
        reader.Dispose();
        stream.Dispose();
    }
}
