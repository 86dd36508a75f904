using System.Text.Json.Nodes;

namespace VirtLab.Grading.Running;

/// <summary>
/// What the worker reports, one JSON object per line of its standard output after
/// <see cref="Prefix"/>. The grader treats every reply as untrusted data: an answer is judged on
/// its merits, and nothing in a reply is a verdict or a score.
/// </summary>
internal sealed record WorkerReply
{
    /// <summary>Starts every reply line; anything else on standard output is the student's.</summary>
    public const string Prefix = "virtlab-worker-reply: ";

    /// <summary>The submission compiled (or did not: <see cref="Diagnostics"/>).</summary>
    public const string Compiled = "compiled";
    /// <summary>The submission is loaded and the first test starts now.</summary>
    public const string Ready = "ready";
    /// <summary>One test's answer or error.</summary>
    public const string Answered = "answer";

    public required string Kind { get; init; }
    /// <summary>Compile: the <see cref="CompileJob.Id"/> it is about.</summary>
    public string Job { get; init; } = "";
    /// <summary>Compile: whether an assembly was written.</summary>
    public bool Ok { get; init; }
    /// <summary>Compile: the errors, as <c>File.cs(line,col): error CSnnnn: message</c>.</summary>
    public IReadOnlyList<string> Diagnostics { get; init; } = [];
    /// <summary>Answer: the test it answers.</summary>
    public string Test { get; init; } = "";
    /// <summary>Answer: what the student's code returned, as the judge serialized it.</summary>
    public JsonNode? Answer { get; init; }
    /// <summary>Answer: set instead of <see cref="Answer"/> when the student's code threw.</summary>
    public StudentError? Error { get; init; }
    /// <summary>Answer: the end of what the student's code printed during this test.</summary>
    public string Output { get; init; } = "";
}

/// <summary>An exception the student's code threw (or a <see cref="Judging.StudentContractException"/>: code that lacks what the exercise asks for).</summary>
/// <param name="Type">The exception's full type name.</param>
/// <param name="Message">Its message.</param>
/// <param name="Where">The innermost frame in the student's own code, e.g. "Sizing.MaxVms in Sizing.cs:line 12".</param>
/// <param name="Contract">Whether it is a missing class or method rather than an exception of the student's code.</param>
internal sealed record StudentError(string Type, string Message, string? Where, bool Contract);
