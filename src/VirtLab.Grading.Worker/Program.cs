using System.Diagnostics;
using System.Text;
using System.Text.Json;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Running;

namespace VirtLab.Grading.Worker;

/// <summary>
/// The grader's child process. It reads one <see cref="WorkerRequest"/> from standard input and
/// either compiles submissions or asks one compiled submission each test's question, writing one
/// <see cref="WorkerReply"/> line per result. It holds questions only: no expected value and no
/// score ever exists in this process, so whatever the student's code does here (print, write files,
/// reflect, exit) can change nothing but its own answers.
/// </summary>
public static class Program
{
    /// <summary>Characters of the student's printed output kept per test (the end of it).</summary>
    private const int OutputKept = 4_000;

    public static int Main()
    {
        // Taken before any student code runs, so that code redirecting Console.Out cannot redirect the replies.
        var channel = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        WorkerRequest request;
        try
        {
            request = JsonSerializer.Deserialize<WorkerRequest>(Console.In.ReadToEnd(), Protocol.Json)
                ?? throw new JsonException("empty request");
        }
        catch (JsonException e)
        {
            Console.Error.WriteLine($"virtlab grading worker: unreadable request: {e.Message}");
            return 2;
        }
        switch (request.Kind)
        {
            case WorkerRequest.Compile:
                foreach (var job in request.Compilations) Send(channel, StudentCompiler.Compile(job));
                break;
            case WorkerRequest.Ask:
                Ask(request, channel);
                break;
            default:
                Console.Error.WriteLine($"virtlab grading worker: unknown request '{request.Kind}'");
                return 2;
        }
        channel.Flush();
        // Ends threads the student's code may have left running.
        Environment.Exit(0);
        return 0;
    }

    private static void Ask(WorkerRequest request, StreamWriter channel)
    {
        var judge = Judges.Find(request.Judge);
        if (judge is null)
        {
            Console.Error.WriteLine($"virtlab grading worker: unknown judge '{request.Judge}'");
            Environment.Exit(2);
        }
        var student = System.Reflection.Assembly.Load(request.Assembly);
        var captured = new StringWriter();
        Console.SetOut(captured);
        Console.SetError(captured);
        Send(channel, new WorkerReply { Kind = WorkerReply.Ready });
        foreach (var test in request.Tests)
        {
            captured.GetStringBuilder().Clear();
            WorkerReply reply;
            try
            {
                var answer = judge!.AskStudent(student, test.Question);
                reply = new WorkerReply { Kind = WorkerReply.Answered, Test = test.Test, Answer = answer };
            }
            catch (Exception e)
            {
                reply = new WorkerReply { Kind = WorkerReply.Answered, Test = test.Test, Error = Describe(e, student) };
            }
            Send(channel, reply with { Output = Tail(captured.ToString()) });
        }
    }

    private static StudentError Describe(Exception e, System.Reflection.Assembly student)
    {
        if (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        string? where = null;
        foreach (var frame in new StackTrace(e, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.DeclaringType?.Assembly != student) continue;
            string file = frame.GetFileName() is { } f ? $" in {Path.GetFileName(f)}:line {frame.GetFileLineNumber()}" : "";
            where = $"{method.DeclaringType.Name}.{method.Name}{file}";
            break;
        }
        return new StudentError(e.GetType().FullName ?? e.GetType().Name, e.Message, where, e is StudentContractException);
    }

    private static string Tail(string text) => text.Length <= OutputKept ? text : "..." + text[^OutputKept..];

    private static void Send(StreamWriter channel, WorkerReply reply)
    {
        // A newline first: student output written straight to stdout without one cannot glue itself to the reply.
        channel.Write('\n');
        channel.Write(WorkerReply.Prefix);
        channel.Write(JsonSerializer.Serialize(reply, Protocol.Json));
        channel.Write('\n');
        channel.Flush();
    }
}
