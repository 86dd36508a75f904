using System.Text.Json.Serialization;

namespace VirtLab.Notebooks;

/// <summary>
/// The messages between <see cref="CSharpKernel"/> (the parent) and <see cref="CellHost"/> (the
/// child process that runs cells), one JSON object a line over a local pipe. The whole protocol is
/// in this file: requests flow down, events flow up, and every event of a cell carries the
/// request's <c>Id</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ConfigureRequest), "configure")]
[JsonDerivedType(typeof(ExecuteRequest), "execute")]
[JsonDerivedType(typeof(InterruptRequest), "interrupt")]
[JsonDerivedType(typeof(CompleteRequest), "complete")]
[JsonDerivedType(typeof(InspectRequest), "inspect")]
[JsonDerivedType(typeof(InputProvidedRequest), "input-provided")]
[JsonDerivedType(typeof(ReadyEvent), "ready")]
[JsonDerivedType(typeof(OutputEvent), "output")]
[JsonDerivedType(typeof(ExecutedEvent), "executed")]
[JsonDerivedType(typeof(CompletionsEvent), "completions")]
[JsonDerivedType(typeof(InspectionEvent), "inspection")]
[JsonDerivedType(typeof(ExitingEvent), "exiting")]
[JsonDerivedType(typeof(UnhandledExceptionEvent), "unhandled")]
[JsonDerivedType(typeof(InputNeededEvent), "input-needed")]
internal abstract record CellHostMessage;

/// <summary>First message to a new child: where it runs and how it restores packages.</summary>
internal sealed record ConfigureRequest(
    string WorkingDirectory,
    string PackageCacheDirectory,
    IReadOnlyList<string> RestoreSources,
    double RestoreTimeoutSeconds,
    string Host) : CellHostMessage;

/// <summary>Run one cell's code.</summary>
internal sealed record ExecuteRequest(int Id, string Code) : CellHostMessage;

/// <summary>
/// Stop the running cell: cancel its restore or compilation and wake it from a sleep or a wait.
/// <c>Reason</c> becomes the cell's error output if it stops.
/// </summary>
internal sealed record InterruptRequest(string Reason) : CellHostMessage;

/// <summary>Completions at <c>Position</c> (a UTF-16 offset) in <c>Code</c>, seen after the accepted cells.</summary>
internal sealed record CompleteRequest(int Id, string Code, int Position) : CellHostMessage;

/// <summary>What is known about the symbol at <c>Position</c> in <c>Code</c>: signature and doc comment.</summary>
internal sealed record InspectRequest(int Id, string Code, int Position) : CellHostMessage;

/// <summary>The answer to an <see cref="InputNeededEvent"/>: the line typed, or null for the end of input.</summary>
internal sealed record InputProvidedRequest(int Id, string? Text) : CellHostMessage;

/// <summary>The child started, configured itself and compiled an empty submission.</summary>
internal sealed record ReadyEvent(int ProcessId) : CellHostMessage;

/// <summary>
/// One output of a cell, in the order the cell produced it. Usually the cell is running; output of
/// a task or thread that outlived its cell comes later and still carries that cell's <c>Id</c>.
/// </summary>
internal sealed record OutputEvent(int Id, WireOutput Output) : CellHostMessage;

/// <summary>The cell ended; <c>Status</c> is how.</summary>
internal sealed record ExecutedEvent(int Id, CellStatus Status) : CellHostMessage;

/// <summary>The answer to a <see cref="CompleteRequest"/>: the span to replace and the candidates.</summary>
internal sealed record CompletionsEvent(int Id, int Start, int End, IReadOnlyList<CompletionItem> Items) : CellHostMessage;

/// <summary>The answer to an <see cref="InspectRequest"/>; null text when nothing is there.</summary>
internal sealed record InspectionEvent(int Id, string? PlainText, string? Markdown) : CellHostMessage;

/// <summary>The cell called <see cref="Environment.Exit(int)"/>: the child is about to end with <c>Code</c>.</summary>
internal sealed record ExitingEvent(int Code) : CellHostMessage;

/// <summary>
/// A thread or task that the cell <c>Id</c> started threw an exception nothing caught: the child is
/// about to end. That cell may be long finished; <c>RunningId</c> is the cell running now, if any,
/// which is not to blame unless it is the same cell.
/// </summary>
internal sealed record UnhandledExceptionEvent(int Id, int? RunningId) : CellHostMessage;

/// <summary>The running cell <c>Id</c> reads the console: a line is wanted (answered by <see cref="InputProvidedRequest"/>).</summary>
internal sealed record InputNeededEvent(int Id, string Prompt) : CellHostMessage;

/// <summary>
/// A <see cref="CellOutput"/> flattened for the wire: <c>Kind</c> is <c>stream</c>, <c>display</c>,
/// <c>result</c> (a cell's trailing value) or <c>error</c>.
/// </summary>
internal sealed record WireOutput(
    string Kind,
    string? Name = null,
    string? Text = null,
    IReadOnlyDictionary<string, string>? Data = null,
    IReadOnlyList<string>? Traceback = null)
{
    public static WireOutput From(CellOutput output) => output switch
    {
        StreamOutput stream => new WireOutput("stream", stream.Name, stream.Text),
        DisplayOutput display => new WireOutput(display.IsResult ? "result" : "display", Data: display.Data),
        ErrorOutput error => new WireOutput("error", error.Name, error.Value, Traceback: error.Traceback),
        _ => throw new ArgumentOutOfRangeException(nameof(output), output, "unknown output kind"),
    };

    public CellOutput ToOutput() => Kind switch
    {
        "stream" => new StreamOutput(Name ?? StreamOutput.StandardOutput, Text ?? ""),
        "display" or "result" => new DisplayOutput(Data ?? new Dictionary<string, string>()) { IsResult = Kind == "result" },
        _ => new ErrorOutput(Name ?? "Error", Text ?? "", Traceback ?? []),
    };
}
