using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtLab.Kernel.Messaging;

/// <summary>
/// The connection file a Jupyter front end writes before it starts a kernel (the
/// <c>{connection_file}</c> of the kernelspec's argv): where to listen and how to sign messages.
/// </summary>
public sealed record ConnectionInfo
{
    /// <summary>The ZeroMQ transport; VirtLab supports <c>tcp</c>, which every front end uses by default.</summary>
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";

    /// <summary>The address to bind, usually <c>127.0.0.1</c>.</summary>
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";

    /// <summary>The shell socket: requests from the front end (execute, complete, inspect, ...).</summary>
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }

    /// <summary>The control socket: like shell, but answered even while a cell runs (interrupt, shutdown).</summary>
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }

    /// <summary>The IOPub socket: broadcasts of outputs and busy/idle status to every front end.</summary>
    [JsonPropertyName("iopub_port")] public int IoPubPort { get; init; }

    /// <summary>The stdin socket: input requests from the kernel to the front end (VirtLab asks none).</summary>
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }

    /// <summary>The heartbeat socket: the front end pings, the kernel echoes, so a dead kernel is noticed.</summary>
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }

    /// <summary>The HMAC key; empty means messages are not signed.</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";

    /// <summary>The signature scheme; VirtLab supports <c>hmac-sha256</c>, the only one front ends use.</summary>
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";

    /// <summary>The kernel name the front end started (informational).</summary>
    [JsonPropertyName("kernel_name")] public string? KernelName { get; init; }

    /// <summary>The endpoint of a socket, e.g. <c>tcp://127.0.0.1:53794</c>.</summary>
    public string Endpoint(int port) => $"{Transport}://{Ip}:{port}";

    /// <summary>Reads and checks a connection file; a problem is a <see cref="FormatException"/> that names the file.</summary>
    public static ConnectionInfo Load(string path)
    {
        ConnectionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ConnectionInfo>(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            throw new FormatException($"{path}: not a Jupyter connection file: {error.Message}", error);
        }
        if (info is null) throw new FormatException($"{path}: empty connection file");
        if (info.Transport != "tcp") throw new FormatException($"{path}: transport '{info.Transport}' is not supported; VirtLab's kernel speaks tcp");
        if (info.Key.Length > 0 && info.SignatureScheme != "hmac-sha256")
            throw new FormatException($"{path}: signature scheme '{info.SignatureScheme}' is not supported; VirtLab's kernel signs with hmac-sha256");
        return info;
    }
}
