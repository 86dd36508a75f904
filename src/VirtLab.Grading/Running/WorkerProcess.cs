using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using VirtLab.Grading.Exercises;

namespace VirtLab.Grading.Running;

/// <summary>
/// One run of the grading worker (<c>VirtLab.Grading.Worker.dll</c>) as a child process: started
/// with a clean environment, the GC heap hard limit of its memory limit, and the request on its
/// standard input; then watched. <see cref="WaitFor"/> waits for the next reply while enforcing a
/// test's limits, and ends the whole process tree the moment one is passed. Nothing the child
/// prints can grow the grader's memory: lines are capped and only the end of standard error is kept.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    /// <summary>The worker's file name, next to the grading library.</summary>
    public const string WorkerFile = "VirtLab.Grading.Worker.dll";

    /// <summary>How often the limits are checked: often enough that a runaway child overshoots by little.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    /// <summary>The longest reply line read; longer lines are dropped (a reply is a few KiB).</summary>
    private const int MaxLineBytes = 4 << 20;
    /// <summary>Characters of standard error kept (its end), to tell a stack overflow from a crash.</summary>
    private const int StderrKept = 16_384;
    /// <summary>
    /// How long to wait for the pipes to drain after the child exits. The pipes close when it exits,
    /// so this is reached only if a grandchild holds them open; 2 s was too short on a loaded 2-core
    /// CI machine, where a compile child's reply was once still unread when the wait ended and the
    /// test read as "ended the process before it answered".
    /// </summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly BlockingCollection<WorkerReply> _replies = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump, _stderrPump;
    private readonly long _memoryLimitBytes, _heapLimitBytes;
    private long _peakWorkingSet;
    private bool _disposed;

    private WorkerProcess(Process process, long memoryLimitBytes, long heapLimitBytes)
    {
        _process = process;
        _memoryLimitBytes = memoryLimitBytes;
        _heapLimitBytes = heapLimitBytes;
        _stdoutPump = Task.Run(() => PumpReplies(process.StandardOutput.BaseStream));
        _stderrPump = Task.Run(() => PumpStderr(process.StandardError));
    }

    /// <summary>Starts the worker on <paramref name="request"/> in <paramref name="workDirectory"/> with a heap of at most <paramref name="memoryMiB"/>.</summary>
    public static WorkerProcess Start(WorkerRequest request, int memoryMiB, string workDirectory)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(WorkerPath());
        // A clean environment: the child gets no tokens or secrets of the grader's (a CI job's, an instructor's shell).
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "DOTNET_ROOT", "SYSTEMROOT", "LANG" })
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        start.Environment["HOME"] = workDirectory;
        start.Environment["TMPDIR"] = workDirectory;
        start.Environment["TEMP"] = workDirectory;
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)memoryMiB << 20).ToString("X");
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        // No debugger pipes, diagnostics socket or profiler attach: nothing else can reach into the
        // child, and the child's folder holds no FIFOs that block whoever opens them.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["DOTNET_EnableCrashReport"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the grading worker did not start");
        var worker = new WorkerProcess(process, ((long)memoryMiB + ResourceLimits.RuntimeAllowanceMiB) << 20, (long)memoryMiB << 20);
        try
        {
            process.StandardInput.Write(JsonSerializer.Serialize(request, Protocol.Json));
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child died before reading its request; WaitFor reports how.
        }
        return worker;
    }

    /// <summary>
    /// Waits for the next reply that <paramref name="accept"/> takes (others are dropped: a child can
    /// print reply-shaped lines of its own), enforcing <paramref name="limits"/> from now on.
    /// </summary>
    public WorkerWait WaitFor(Func<WorkerReply, bool> accept, ResourceLimits limits)
    {
        var clock = Stopwatch.StartNew();
        double cpuAtStart = CpuSeconds();
        double Cpu() => Math.Max(0, CpuSeconds() - cpuAtStart);
        while (true)
        {
            if (_replies.TryTake(out var reply, PollInterval))
            {
                if (accept(reply)) return new WorkerWait(reply, ChildEnding.Replied, Cpu(), clock.Elapsed.TotalSeconds);
                continue;
            }
            // A child that closed its standard output but runs on: TryTake no longer waits, so wait here.
            if (_replies.IsCompleted) Thread.Sleep(PollInterval);
            if (_process.HasExited) return AfterExit(accept, clock, Cpu());
            double cpu = Cpu();
            if (cpu > limits.CpuSeconds) return Stop(ChildEnding.CpuLimit, cpu, clock);
            if (clock.Elapsed.TotalSeconds > limits.WallSeconds) return Stop(ChildEnding.WallLimit, cpu, clock);
            if (WorkingSet() > _memoryLimitBytes) return Stop(ChildEnding.MemoryLimit, cpu, clock);
        }
    }

    private WorkerWait AfterExit(Func<WorkerReply, bool> accept, Stopwatch clock, double cpu)
    {
        // The reply may still be in the pipe.
        Task.WaitAll([_stdoutPump, _stderrPump], DrainTimeout);
        while (_replies.TryTake(out var reply))
            if (accept(reply)) return new WorkerWait(reply, ChildEnding.Replied, cpu, clock.Elapsed.TotalSeconds);
        int code = _process.ExitCode;
        string stderr;
        lock (_stderr) stderr = _stderr.ToString();
        string first = stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Unhandled exception.", StringComparison.Ordinal) || l.StartsWith("Process terminated.", StringComparison.Ordinal)) ?? "";
        var ending = stderr.Contains("Stack overflow.", StringComparison.Ordinal) ? ChildEnding.StackOverflow
            : stderr.Contains("System.OutOfMemoryException", StringComparison.Ordinal) ? ChildEnding.OutOfMemory
            : code == SigAbrtExitCode && first.Length == 0
              && (stderr.Contains("out of memory", StringComparison.OrdinalIgnoreCase) || _peakWorkingSet >= _heapLimitBytes / 2 || string.IsNullOrWhiteSpace(stderr)) ? ChildEnding.OutOfMemory
            : first.Length > 0 ? ChildEnding.Crashed
            : code == 0 ? ChildEnding.Exited
            : code > 128 && RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? ChildEnding.Crashed
            : ChildEnding.Exited;
        return new WorkerWait(null, ending, cpu, clock.Elapsed.TotalSeconds, first.Length > 0 ? first : $"exit code {code}", code);
    }

    // 128 + SIGABRT. A runtime that cannot allocate while it collects (the heap at its hard limit)
    // fails fast and aborts instead of throwing OutOfMemoryException, sometimes before it can write
    // a word. An abort with no exception or fail-fast message of the student's own (those print
    // "Unhandled exception." or "Process terminated.") from a child that said it was out of
    // memory, had grown to half its heap limit, or said nothing at all is read as running out of
    // memory. The points are lost either way; this only makes the message name the likely cause.
    private const int SigAbrtExitCode = 134;

    private WorkerWait Stop(ChildEnding ending, double cpu, Stopwatch clock)
    {
        Kill();
        return new WorkerWait(null, ending, cpu, clock.Elapsed.TotalSeconds);
    }

    private double CpuSeconds()
    {
        try { return _process.TotalProcessorTime.TotalSeconds; }
        catch (InvalidOperationException) { return 0; }   // exited
        catch (System.ComponentModel.Win32Exception) { return 0; }
    }

    private long WorkingSet()
    {
        try
        {
            _process.Refresh();
            _peakWorkingSet = Math.Max(_peakWorkingSet, _process.WorkingSet64);
            return _process.WorkingSet64;
        }
        catch (InvalidOperationException) { return 0; }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>Reads standard output as lines of at most <see cref="MaxLineBytes"/> and keeps the ones that parse as replies.</summary>
    private void PumpReplies(Stream stdout)
    {
        var line = new MemoryStream();
        bool overlong = false;
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = stdout.Read(buffer, 0, buffer.Length)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        if (!overlong) Parse(line);
                        line.SetLength(0);
                        overlong = false;
                    }
                    else if (!overlong)
                    {
                        if (line.Length >= MaxLineBytes) { overlong = true; line.SetLength(0); }
                        else line.WriteByte(buffer[i]);
                    }
                }
            }
            if (!overlong) Parse(line);
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        finally { _replies.CompleteAdding(); }
    }

    private void Parse(MemoryStream line)
    {
        string text = Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimEnd('\r');
        if (!text.StartsWith(WorkerReply.Prefix, StringComparison.Ordinal)) return;
        try
        {
            if (JsonSerializer.Deserialize<WorkerReply>(text.AsSpan(WorkerReply.Prefix.Length), Protocol.Json) is { } reply) _replies.Add(reply);
        }
        catch (JsonException) { }   // a line that only looks like a reply
    }

    private void PumpStderr(StreamReader stderr)
    {
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = stderr.Read(buffer, 0, buffer.Length)) > 0)
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, n);
                    if (_stderr.Length > 2 * StderrKept) _stderr.Remove(0, _stderr.Length - StderrKept);
                }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>The worker next to this library (the CLI and the tests copy it there).</summary>
    public static string WorkerPath()
    {
        foreach (var dir in new[] { Path.GetDirectoryName(typeof(WorkerProcess).Assembly.Location), AppContext.BaseDirectory })
            if (!string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, WorkerFile))) return Path.Combine(dir, WorkerFile);
        throw new FileNotFoundException($"the grading worker {WorkerFile} was not found next to {typeof(WorkerProcess).Assembly.Location}; reference the VirtLab.Grading.Worker project from the application that grades");
    }

    /// <summary>
    /// The <c>dotnet</c> executable of the running runtime: the process itself when it is
    /// <c>dotnet</c>, else the one three folders above the shared framework
    /// (<c>DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION/</c>), else <c>dotnet</c> on the PATH.
    /// </summary>
    private static string DotnetHost()
    {
        string exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == exe) return self;
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, exe);
        return File.Exists(candidate) ? candidate : exe;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Kill();
        Task.WaitAll([_stdoutPump, _stderrPump], DrainTimeout);
        _process.Dispose();
        _replies.Dispose();
    }
}
