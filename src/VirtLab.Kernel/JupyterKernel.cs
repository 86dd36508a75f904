using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetMQ;
using NetMQ.Sockets;
using VirtLab.Interactive;
using VirtLab.Kernel.Messaging;
using VirtLab.Notebooks;

namespace VirtLab.Kernel;

/// <summary>
/// VirtLab's Jupyter kernel: the Jupyter messaging protocol 5.3 over ZeroMQ in front of a
/// <see cref="CSharpKernel"/>, whose child process runs the cells. This process never runs a
/// student's code, so a cell that crashes its process cannot take the connection to the front end
/// down with it.
/// <para>
/// Five sockets, as the protocol has them: <b>shell</b> (requests, answered one at a time, in
/// order), <b>control</b> (the same, but answered even while a cell runs: interrupt, shutdown),
/// <b>IOPub</b> (outputs and busy/idle status for every front end), <b>stdin</b> (a cell's
/// <c>Console.ReadLine()</c> becomes an <c>input_request</c> to the front end that ran it, if that
/// front end allows input) and the <b>heartbeat</b> (echoes pings). Every request is handled by
/// one method, chosen in one switch (<see cref="HandleAsync"/>).
/// </para>
/// </summary>
public sealed class JupyterKernel
{
    private readonly ConnectionInfo connection;
    private readonly MessageSigner signer;
    private readonly TextWriter log;
    private readonly string session = Guid.NewGuid().ToString("N");
    private readonly CSharpKernel cells;
    private readonly RouterSocket shell = new();
    private readonly RouterSocket control = new();
    private readonly RouterSocket stdin = new();
    private readonly PublisherSocket iopub = new();
    private readonly NetMQQueue<Action> outbox = new();
    private readonly NetMQPoller poller;
    private readonly Channel<JupyterMessage> shellRequests = Channel.CreateUnbounded<JupyterMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<JupyterMessage> controlRequests = Channel.CreateUnbounded<JupyterMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Lines asked of front ends and not answered yet, by the msg_id of the input_request.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<string?>> linesAsked = new();
    private volatile bool stopping;
    private int executionCount;

    private JupyterKernel(ConnectionInfo connection, CSharpKernelOptions options, TextWriter log)
    {
        this.connection = connection;
        this.log = log;
        signer = new MessageSigner(connection.Key);
        cells = CSharpKernel.Create(options); // the child warms up while the front end connects
        poller = [shell, control, stdin, iopub, outbox];
        shell.ReceiveReady += (_, e) => Receive(e.Socket, "shell", shellRequests);
        control.ReceiveReady += (_, e) => Receive(e.Socket, "control", controlRequests);
        stdin.ReceiveReady += (_, e) => ReceiveInputReply(e.Socket);
        outbox.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var send, TimeSpan.Zero)) send();
        };
    }

    /// <summary>
    /// Serves the front end described by <paramref name="connection"/> until it asks the kernel to
    /// shut down. Cells run in <paramref name="options"/>' working directory (Jupyter starts a
    /// kernel in the notebook's folder). Log lines (refused messages, failures) go to <paramref name="log"/>.
    /// </summary>
    public static async Task RunAsync(ConnectionInfo connection, CSharpKernelOptions options, TextWriter log)
    {
        var kernel = new JupyterKernel(connection, options with { Host = KernelHost.Jupyter }, log);
        await kernel.ServeAsync();
    }

    private async Task ServeAsync()
    {
        shell.Bind(connection.Endpoint(connection.ShellPort));
        control.Bind(connection.Endpoint(connection.ControlPort));
        stdin.Bind(connection.Endpoint(connection.StdinPort));
        iopub.Bind(connection.Endpoint(connection.IoPubPort));
        var heartbeat = new Thread(EchoHeartbeats) { IsBackground = true, Name = "heartbeat" };
        heartbeat.Start();
        poller.RunAsync("jupyter sockets");
        Publish(Status("starting", null));

        _ = WatchParentAsync();
        var shellLoop = Task.Run(() => ServeChannelAsync(shellRequests, shell));
        var controlLoop = Task.Run(() => ServeChannelAsync(controlRequests, control));
        await stopped.Task;

        shellRequests.Writer.TryComplete();
        controlRequests.Writer.TryComplete();
        await cells.DisposeAsync();
        // Let the last replies leave before the sockets close.
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        outbox.Enqueue(() => flushed.TrySetResult());
        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        poller.Stop();
        heartbeat.Join(TimeSpan.FromSeconds(2));
        foreach (var socket in new NetMQSocket[] { shell, control, stdin, iopub }) socket.Dispose();
        poller.Dispose();
        NetMQConfig.Cleanup(block: false);
        await Task.WhenAny(Task.WhenAll(shellLoop, controlLoop), Task.Delay(TimeSpan.FromSeconds(1)));
    }

    /// <summary>Reads one message on the poller thread; a refused one is logged and dropped, the kernel lives on.</summary>
    private void Receive(NetMQSocket socket, string name, Channel<JupyterMessage> requests)
    {
        if (Read(socket, name) is { } request) requests.Writer.TryWrite(request);
    }

    /// <summary>The next message on <paramref name="socket"/>, signature checked; null (and a log line) if it is refused.</summary>
    private JupyterMessage? Read(NetMQSocket socket, string name)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipartBytes(ref frames)) return null;
        try
        {
            return JupyterMessage.Decode(frames, signer);
        }
        catch (MalformedMessageException refused)
        {
            log.WriteLine($"virtlab kernel: refused a message on {name}: {refused.Message}");
            return null;
        }
    }

    /// <summary>
    /// An input_reply on stdin, read on the poller thread: it answers the line asked. jupyter_client
    /// sends its reply without a parent header (ipykernel takes the next reply), so a reply that
    /// names no request answers the one that is open; only one cell runs at a time, so there is
    /// at most one. Anything else is logged and dropped.
    /// </summary>
    private void ReceiveInputReply(NetMQSocket socket)
    {
        if (Read(socket, "stdin") is not { } reply) return;
        var asked = reply.ParentHeader["msg_id"] is JsonValue id && id.TryGetValue(out string? text) ? text : linesAsked.Keys.SingleOrDefault();
        if (reply.Type == "input_reply" && asked is not null && linesAsked.TryRemove(asked, out var waiting))
            waiting.TrySetResult(reply.Text("value"));
        else
            log.WriteLine($"virtlab kernel: ignored a message on stdin: '{reply.Type}' that answers no open input_request");
    }

    /// <summary>
    /// Asks the front end that sent <paramref name="request"/> for a line (an input_request on
    /// stdin, routed to that front end) and waits for its input_reply; null once <paramref name="cellOver"/>
    /// says the cell has ended (interrupted while it waited) and no answer is wanted any more.
    /// </summary>
    private async Task<string?> AskFrontEndAsync(JupyterMessage request, string prompt, CancellationToken cellOver)
    {
        var ask = JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = false }, request, session);
        var id = ask.Header["msg_id"]!.GetValue<string>();
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        linesAsked[id] = answer;
        await using var stop = cellOver.Register(() => answer.TrySetResult(null));
        try
        {
            Send(stdin, ask);
            return await answer.Task;
        }
        finally
        {
            linesAsked.TryRemove(id, out _);
        }
    }

    private async Task ServeChannelAsync(Channel<JupyterMessage> requests, NetMQSocket socket)
    {
        await foreach (var request in requests.Reader.ReadAllAsync())
        {
            try
            {
                await HandleAsync(request, socket);
            }
            catch (Exception error)
            {
                log.WriteLine($"virtlab kernel: {request.Type} failed: {error}");
            }
        }
    }

    /// <summary>One request: busy, the handler for its type, idle.</summary>
    private async Task HandleAsync(JupyterMessage request, NetMQSocket socket)
    {
        if (request.Type is "comm_open" or "comm_msg" or "comm_close") return; // widgets: VirtLab has none, and no reply is expected
        Publish(Status("busy", request));
        try
        {
            switch (request.Type)
            {
                case "kernel_info_request": Reply(socket, request, "kernel_info_reply", KernelInfo()); break;
                case "execute_request": await ExecuteAsync(request, socket); break;
                case "complete_request": await CompleteAsync(request, socket); break;
                case "inspect_request": await InspectAsync(request, socket); break;
                case "is_complete_request": Reply(socket, request, "is_complete_reply", IsComplete(request.Text("code"))); break;
                case "interrupt_request": Interrupt(request, socket); break;
                case "shutdown_request": await ShutdownAsync(request, socket); break;
                case "comm_info_request": Reply(socket, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
                case "history_request": Reply(socket, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
                default: log.WriteLine($"virtlab kernel: ignored a message of unknown type '{request.Type}'"); break;
            }
        }
        finally
        {
            Publish(Status("idle", request));
        }
    }

    private async Task ExecuteAsync(JupyterMessage request, NetMQSocket socket)
    {
        var code = request.Text("code");
        var silent = request.Flag("silent", false);
        if (!silent && request.Flag("store_history", true)) Interlocked.Increment(ref executionCount);
        var count = Volatile.Read(ref executionCount);
        if (!silent) Publish(JupyterMessage.Create("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request, session));

        ErrorOutput? lastError = null;
        void Show(CellOutput output)
        {
            if (output is ErrorOutput error) lastError = error;
            if (!silent) Publish(OutputMessage(output, count, request));
        }

        var status = CellStatus.Succeeded;
        if (!string.IsNullOrWhiteSpace(code))
        {
            DeployLibraryFor(code, Show);
            using var cellOver = new CancellationTokenSource();
            Func<string, Task<string?>>? input = request.Flag("allow_stdin", false) ? prompt => AskFrontEndAsync(request, prompt, cellOver.Token) : null;
            status = await cells.ExecuteAsync(code, Show, input: input);
            cellOver.Cancel();
        }

        var reply = new JsonObject { ["execution_count"] = count };
        if (status == CellStatus.Succeeded)
        {
            reply["status"] = "ok";
            reply["user_expressions"] = new JsonObject();
            reply["payload"] = new JsonArray();
        }
        else
        {
            var error = lastError ?? ErrorOutput.FromMessage($"the cell ended with status {status}");
            reply["status"] = "error";
            reply["ename"] = error.Name;
            reply["evalue"] = error.Value;
            reply["traceback"] = new JsonArray([.. error.Traceback.Select(line => (JsonNode?)line)]);
        }
        Reply(socket, request, "execute_reply", reply);
        if (status != CellStatus.Succeeded && request.Flag("stop_on_error", true)) AbortQueuedExecutions();
    }

    /// <summary>
    /// After a failed cell with <c>stop_on_error</c>, the cells the front end queued behind it are
    /// not run (Jupyter's "Run All" stops at the first error): each gets an <c>aborted</c> reply.
    /// </summary>
    private void AbortQueuedExecutions()
    {
        var queued = new List<JupyterMessage>();
        while (shellRequests.Reader.TryRead(out var next)) queued.Add(next);
        foreach (var next in queued)
        {
            if (next.Type == "execute_request")
            {
                Publish(Status("busy", next));
                Reply(shell, next, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = Volatile.Read(ref executionCount) });
                Publish(Status("idle", next));
            }
            else
            {
                shellRequests.Writer.TryWrite(next);
            }
        }
    }

    /// <summary>
    /// Lessons load VirtLab with <c>#r "lib/VirtLab.Interactive.dll"</c>; the kernel fills that
    /// folder beside the notebook before such a cell runs, as <c>virtlab course</c> does.
    /// </summary>
    private void DeployLibraryFor(string code, Action<CellOutput> show)
    {
        if (!NotebookLibrary.IsReferencedBy(code)) return;
        try
        {
            NotebookLibrary.Deploy(Path.Combine(cells.Options.WorkingDirectory, NotebookLibrary.FolderName));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            show(new StreamOutput(StreamOutput.StandardError, $"VirtLab could not fill {NotebookLibrary.FolderName}/ beside the notebook: {error.Message}\n"));
        }
    }

    private async Task CompleteAsync(JupyterMessage request, NetMQSocket socket)
    {
        var code = request.Text("code");
        var cursor = TextPositions.ToUtf16(code, request.Number("cursor_pos", code.Length));
        var found = await WithinAsync(cells.CompleteAsync(code, cursor), new Completions(cursor, cursor, []));
        var (start, end) = (TextPositions.ToCodePoints(code, found.Start), TextPositions.ToCodePoints(code, found.End));
        Reply(socket, request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray([.. found.Items.Select(item => (JsonNode?)item.Text)]),
            ["cursor_start"] = start,
            ["cursor_end"] = end,
            ["metadata"] = new JsonObject
            {
                ["_jupyter_types_experimental"] = new JsonArray([.. found.Items.Select(item => (JsonNode?)new JsonObject
                {
                    ["start"] = start, ["end"] = end, ["text"] = item.Text, ["type"] = item.Kind,
                })]),
            },
        });
    }

    private async Task InspectAsync(JupyterMessage request, NetMQSocket socket)
    {
        var code = request.Text("code");
        var found = await WithinAsync(cells.InspectAsync(code, TextPositions.ToUtf16(code, request.Number("cursor_pos", code.Length))), null);
        Reply(socket, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = found is not null,
            ["data"] = found is null ? new JsonObject() : new JsonObject { ["text/plain"] = found.PlainText, ["text/markdown"] = found.Markdown },
            ["metadata"] = new JsonObject(),
        });
    }

    /// <summary>How long completion or inspection may take before the front end gets an empty answer (the first builds Roslyn's workspace).</summary>
    private static readonly TimeSpan EditorRequestTimeout = TimeSpan.FromSeconds(30);

    private async Task<T> WithinAsync<T>(Task<T> request, T fallback)
    {
        try
        {
            return await request.WaitAsync(EditorRequestTimeout);
        }
        catch (TimeoutException)
        {
            log.WriteLine($"virtlab kernel: no answer from the cell host within {EditorRequestTimeout.TotalSeconds} s");
            return fallback;
        }
    }

    /// <summary>Whether a console front end should run the code or wait for more lines (an open brace, string or comment).</summary>
    private static JsonObject IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        return SyntaxFactory.IsCompleteSubmission(tree) || string.IsNullOrWhiteSpace(code)
            ? new JsonObject { ["status"] = "complete" }
            : new JsonObject { ["status"] = "incomplete", ["indent"] = "    " };
    }

    private void Interrupt(JupyterMessage request, NetMQSocket socket)
    {
        cells.Interrupt();
        Reply(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
    }

    /// <summary>
    /// Replies and ends the kernel process, with or without <c>restart</c>: a front end restarts a
    /// kernel by starting a new process once this one has gone (as it does for ipykernel).
    /// </summary>
    private Task ShutdownAsync(JupyterMessage request, NetMQSocket socket)
    {
        Reply(socket, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = request.Flag("restart", false) });
        stopping = true;
        stopped.TrySetResult();
        return Task.CompletedTask;
    }

    private static JsonObject KernelInfo()
    {
        var version = typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0";
        var csharp = LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString();
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = "virtlab",
            ["implementation_version"] = version,
            ["language_info"] = new JsonObject
            {
                ["name"] = "C#",
                ["version"] = csharp,
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"VirtLab C# kernel {version} (C# {csharp}, .NET {Environment.Version}): cells run in a child process; display(x), #r, #r \"nuget: ...\" and #load work as in Polyglot Notebooks.",
            ["help_links"] = new JsonArray(),
            ["debugger"] = false,
        };
    }

    private JupyterMessage Status(string state, JupyterMessage? parent) =>
        JupyterMessage.Create("status", new JsonObject { ["execution_state"] = state }, parent, session);

    /// <summary>A cell output as the IOPub message Jupyter front ends draw.</summary>
    private JupyterMessage OutputMessage(CellOutput output, int count, JupyterMessage request) => output switch
    {
        StreamOutput stream => JupyterMessage.Create("stream", new JsonObject { ["name"] = stream.Name, ["text"] = stream.Text }, request, session),
        DisplayOutput { IsResult: true } result => JupyterMessage.Create("execute_result",
            new JsonObject { ["execution_count"] = count, ["data"] = MimeBundle(result), ["metadata"] = new JsonObject() }, request, session),
        DisplayOutput display => JupyterMessage.Create("display_data",
            new JsonObject { ["data"] = MimeBundle(display), ["metadata"] = new JsonObject(), ["transient"] = new JsonObject() }, request, session),
        ErrorOutput error => JupyterMessage.Create("error", new JsonObject
        {
            ["ename"] = error.Name,
            ["evalue"] = error.Value,
            ["traceback"] = new JsonArray([.. error.Traceback.Select(line => (JsonNode?)line)]),
        }, request, session),
        _ => throw new ArgumentOutOfRangeException(nameof(output), output, "unknown output kind"),
    };

    /// <summary>The output's data by MIME type; JSON types (a chart's <c>application/vnd.plotly.v1+json</c>) as JSON values.</summary>
    private static JsonObject MimeBundle(DisplayOutput display)
    {
        var bundle = new JsonObject();
        foreach (var (mimeType, value) in display.Data)
        {
            JsonNode? node = value;
            if (DisplayOutput.IsJsonMimeType(mimeType))
            {
                try
                {
                    node = JsonNode.Parse(value);
                }
                catch (JsonException)
                {
                    // not JSON after all: send the text
                }
            }
            bundle[mimeType] = node;
        }
        return bundle;
    }

    private void Reply(NetMQSocket socket, JupyterMessage request, string type, JsonObject content) =>
        Send(socket, JupyterMessage.Create(type, content, request, session));

    private void Publish(JupyterMessage message) =>
        Send(iopub, message with { Identities = [System.Text.Encoding.UTF8.GetBytes($"kernel.{session}.{message.Type}")] });

    /// <summary>Sends from the poller thread, the only one that touches the sockets.</summary>
    private void Send(NetMQSocket socket, JupyterMessage message)
    {
        var frames = message.Encode(signer);
        outbox.Enqueue(() => socket.SendMultipartBytes(frames));
    }

    /// <summary>
    /// Ends the kernel when the front end that started it dies without a shutdown request (a
    /// killed Jupyter server, a crashed test), instead of leaving it and its child running: on
    /// Linux the kernel is then handed to another parent, which /proc shows.
    /// </summary>
    private async Task WatchParentAsync()
    {
        if (ParentProcessId() is not { } parent) return;
        while (!stopping)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            if (ParentProcessId() == parent) continue;
            log.WriteLine("virtlab kernel: the front end that started the kernel is gone; shutting down");
            stopping = true;
            stopped.TrySetResult();
        }
    }

    private static int? ParentProcessId()
    {
        try
        {
            // /proc/self/stat: "pid (name) state ppid ..."; the name may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText("/proc/self/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null; // not Linux: no watch
        }
    }

    private void EchoHeartbeats()
    {
        using var heartbeat = new ResponseSocket();
        heartbeat.Bind(connection.Endpoint(connection.HeartbeatPort));
        var ping = new List<byte[]>();
        while (!stopping)
        {
            if (heartbeat.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(250), ref ping)) heartbeat.SendMultipartBytes(ping);
        }
    }
}
