using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtLab.Kernel.Messaging;

/// <summary>
/// One message of the Jupyter messaging protocol (version 5.3), as it travels over ZeroMQ:
/// <c>[identities..., "&lt;IDS|MSG&gt;", signature, header, parent_header, metadata, content, buffers...]</c>.
/// The header says what the message is (<c>msg_type</c>) and who sent it; the parent header is
/// the header of the request a message answers, which is how a front end matches outputs to cells.
/// </summary>
public sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities,
    JsonObject Header,
    JsonObject ParentHeader,
    JsonObject Metadata,
    JsonObject Content)
{
    /// <summary>The protocol version VirtLab speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>The frame that separates the routing identities from the message.</summary>
    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>The message type, such as <c>execute_request</c> or <c>stream</c>.</summary>
    public string Type => Header["msg_type"] is JsonValue type && type.TryGetValue(out string? name) ? name : "";

    /// <summary>A string field of the content, or <paramref name="fallback"/>.</summary>
    public string Text(string field, string fallback = "") =>
        Content[field] is JsonValue value && value.TryGetValue(out string? text) ? text : fallback;

    /// <summary>A boolean field of the content, or <paramref name="fallback"/>.</summary>
    public bool Flag(string field, bool fallback) =>
        Content[field] is JsonValue value && value.TryGetValue(out bool flag) ? flag : fallback;

    /// <summary>An integer field of the content, or <paramref name="fallback"/>.</summary>
    public int Number(string field, int fallback) =>
        Content[field] is JsonValue value && value.TryGetValue(out int number) ? number : fallback;

    /// <summary>
    /// A new message of <paramref name="type"/> in <paramref name="session"/>, answering
    /// <paramref name="parent"/> (if any) and routed to the parent's sender.
    /// </summary>
    public static JupyterMessage Create(string type, JsonObject content, JupyterMessage? parent, string session, IReadOnlyList<byte[]>? identities = null)
    {
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "virtlab",
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["msg_type"] = type,
            ["version"] = ProtocolVersion,
        };
        var parentHeader = parent?.Header.DeepClone().AsObject() ?? new JsonObject();
        return new JupyterMessage(identities ?? parent?.Identities ?? [], header, parentHeader, new JsonObject(), content);
    }

    /// <summary>
    /// Reads a message from its frames and checks its signature. Anything wrong (no delimiter,
    /// missing frames, broken JSON, a bad or replayed signature) throws
    /// <see cref="MalformedMessageException"/>, which the kernel logs before dropping the message.
    /// </summary>
    public static JupyterMessage Decode(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) throw new MalformedMessageException("no <IDS|MSG> delimiter frame");
        if (frames.Count < delimiter + 6) throw new MalformedMessageException($"{frames.Count - delimiter - 1} frames after the delimiter, expected at least 5");

        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        var (header, parent, metadata, content) = (frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5]);
        if (signer.Check(signature, header, parent, metadata, content) is { } refusal) throw new MalformedMessageException(refusal);

        var message = new JupyterMessage(
            frames.Take(delimiter).ToList(),
            ParseObject(header, "header"),
            ParseObject(parent, "parent_header"),
            ParseObject(metadata, "metadata"),
            ParseObject(content, "content"));
        if (message.Type.Length == 0) throw new MalformedMessageException("the header has no msg_type");
        return message;
    }

    /// <summary>The message's frames, signed with <paramref name="signer"/>.</summary>
    public List<byte[]> Encode(MessageSigner signer)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(Header);
        var parent = JsonSerializer.SerializeToUtf8Bytes(ParentHeader);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(Metadata);
        var content = JsonSerializer.SerializeToUtf8Bytes(Content);
        var frames = new List<byte[]>(Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.AddRange([header, parent, metadata, content]);
        return frames;
    }

    private static JsonObject ParseObject(byte[] frame, string name)
    {
        try
        {
            return JsonNode.Parse(frame) as JsonObject ?? throw new MalformedMessageException($"the {name} frame is not a JSON object");
        }
        catch (JsonException error)
        {
            throw new MalformedMessageException($"the {name} frame is not valid JSON: {error.Message}");
        }
    }
}
