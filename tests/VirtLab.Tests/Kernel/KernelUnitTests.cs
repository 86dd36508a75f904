using System.Text;
using System.Text.Json.Nodes;
using VirtLab.Kernel;
using VirtLab.Kernel.Messaging;
using VirtLab.Notebooks;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Kernel;

/// <summary>The kernel's pieces that need no outside client: signing, framing, positions, the kernelspec.</summary>
public sealed class KernelUnitTests
{
    private static List<byte[]> Frames(JupyterMessage message, MessageSigner signer) => message.Encode(signer);

    [Fact]
    public void A_message_round_trips_through_its_frames_and_a_wrong_signature_or_a_replay_is_refused()
    {
        var signer = new MessageSigner("key");
        var request = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1+1" }, null, "session", [Encoding.ASCII.GetBytes("client")]);
        var frames = Frames(request, signer);

        var decoded = JupyterMessage.Decode(frames, new MessageSigner("key"));
        Assert.Equal("execute_request", decoded.Type);
        Assert.Equal("1+1", decoded.Text("code"));
        Assert.Equal("client", Encoding.ASCII.GetString(decoded.Identities.Single()));

        var receiver = new MessageSigner("key");
        JupyterMessage.Decode(frames, receiver);
        Assert.Equal("replayed signature", Assert.Throws<MalformedMessageException>(() => JupyterMessage.Decode(frames, receiver)).Message);
        Assert.Equal("wrong signature", Assert.Throws<MalformedMessageException>(() => JupyterMessage.Decode(Frames(request, new MessageSigner("other")), new MessageSigner("key"))).Message);

        var tampered = Frames(request, signer);
        tampered[^1] = Encoding.UTF8.GetBytes("""{"code": "Environment.Exit(1)"}""");
        Assert.Equal("wrong signature", Assert.Throws<MalformedMessageException>(() => JupyterMessage.Decode(tampered, new MessageSigner("key"))).Message);
        Assert.Contains("delimiter", Assert.Throws<MalformedMessageException>(() => JupyterMessage.Decode([[1, 2, 3]], signer)).Message);
        var broken = Frames(request, new MessageSigner(""));
        broken[^4] = "{not json"u8.ToArray();
        Assert.Contains("header frame is not valid JSON", Assert.Throws<MalformedMessageException>(() => JupyterMessage.Decode(broken, new MessageSigner(""))).Message);
    }

    [Fact]
    public void A_reply_carries_its_requests_header_as_parent_and_goes_back_to_the_sender()
    {
        var request = JupyterMessage.Create("kernel_info_request", [], null, "client-session", [[7]]);
        var reply = JupyterMessage.Create("kernel_info_reply", new JsonObject { ["status"] = "ok" }, request, "kernel-session");
        Assert.Equal((string?)request.Header["msg_id"], (string?)reply.ParentHeader["msg_id"]);
        Assert.Equal("5.3", (string?)reply.Header["version"]);
        Assert.Equal([7], reply.Identities.Single());
    }

    [Fact]
    public void Cursor_positions_convert_between_code_points_and_utf16()
    {
        const string code = "// 🙂\nx."; // the emoji is one code point, two UTF-16 units
        Assert.Equal(code.Length, TextPositions.ToUtf16(code, code.Length - 1));
        Assert.Equal(code.Length - 1, TextPositions.ToCodePoints(code, code.Length));
        Assert.Equal(3, TextPositions.ToUtf16(code, 3));
    }

    [Fact]
    public void Kernel_install_writes_a_kernelspec_with_absolute_paths_and_message_interrupts_and_uninstall_removes_it()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "virtlab-kernelspec-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var installed = CliHarness.Run("kernel", "install", "--prefix", prefix);
            Assert.Equal(0, installed.ExitCode);
            var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(prefix, "share", "jupyter", "kernels", ".net-virtlab", "kernel.json")))!;
            var argv = spec["argv"]!.AsArray().Select(a => (string?)a).ToList();
            Assert.True(Path.IsPathRooted(argv[0]) && File.Exists(argv[0]), $"dotnet: {argv[0]}");
            Assert.True(Path.IsPathRooted(argv[1]) && argv[1]!.EndsWith("VirtLab.Kernel.dll", StringComparison.Ordinal) && File.Exists(argv[1]));
            Assert.Equal(["-f", "{connection_file}"], argv[2..]);
            Assert.Equal("C#", (string?)spec["language"]);
            Assert.Equal("message", (string?)spec["interrupt_mode"]);
            Assert.Contains("VirtLab", (string?)spec["display_name"]);
            Assert.Equal(KernelNames.KernelSpecName, KernelSpec.Name);

            Assert.Equal(0, CliHarness.Run("kernel", "uninstall", "--prefix", prefix).ExitCode);
            Assert.False(Directory.Exists(Path.Combine(prefix, "share", "jupyter", "kernels", ".net-virtlab")));
            Assert.NotEqual(0, CliHarness.Run("kernel", "install", "--user", "--prefix", prefix).ExitCode);
        }
        finally
        {
            try { Directory.Delete(prefix, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
