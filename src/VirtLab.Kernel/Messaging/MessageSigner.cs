using System.Security.Cryptography;
using System.Text;

namespace VirtLab.Kernel.Messaging;

/// <summary>
/// Signs and checks Jupyter messages: the hex HMAC-SHA256, under the connection file's key, of
/// the four JSON frames header, parent header, metadata and content, in that order. Anyone who can
/// reach the kernel's ports but does not know the key cannot make it run code. With an empty key
/// the signature is empty and not checked, as the protocol says.
/// </summary>
public sealed class MessageSigner(string key)
{
    /// <summary>How many recent signatures are remembered to refuse a replayed message.</summary>
    private const int RememberedSignatures = 4096;

    private readonly byte[] keyBytes = Encoding.UTF8.GetBytes(key);
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private readonly Queue<string> seenOrder = new();
    private readonly Lock gate = new();

    /// <summary>True when messages are signed (the key is not empty).</summary>
    public bool IsSigning => keyBytes.Length > 0;

    /// <summary>The signature of the four frames, as lower-case hex; empty without a key.</summary>
    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!IsSigning) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keyBytes);
        hmac.AppendData(header);
        hmac.AppendData(parentHeader);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>
    /// Null when <paramref name="signature"/> is right for the frames and was not seen before;
    /// otherwise why the message is refused.
    /// </summary>
    public string? Check(string signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!IsSigning) return null;
        var expected = Sign(header, parentHeader, metadata, content);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            return "wrong signature";
        lock (gate)
        {
            if (!seen.Add(signature)) return "replayed signature";
            seenOrder.Enqueue(signature);
            if (seenOrder.Count > RememberedSignatures) seen.Remove(seenOrder.Dequeue());
        }
        return null;
    }
}
