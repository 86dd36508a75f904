using System.Text.Json.Nodes;

namespace VirtLab.Grading.Running;

/// <summary>
/// What the grader asks its child process (the worker) to do, sent as one JSON object on the
/// child's standard input: compile submissions, or ask one compiled submission some tests'
/// questions. It carries questions, never expected values.
/// </summary>
internal sealed record WorkerRequest
{
    /// <summary>Compile each of <see cref="Compilations"/>, in order. Compiling runs no student code, so one child may compile many students' submissions (it pays Roslyn's start-up once).</summary>
    public const string Compile = "compile";
    /// <summary>Load <see cref="Assembly"/> and ask it each of <see cref="Tests"/>, in order. One student's code only.</summary>
    public const string Ask = "ask";

    public required string Kind { get; init; }
    /// <summary>The submissions to compile (compile).</summary>
    public IReadOnlyList<CompileJob> Compilations { get; init; } = [];
    /// <summary>
    /// The compiled submission to load (ask): the very bytes the grader inspected
    /// (<see cref="Inspection.SubmissionInspection"/>), sent rather than a path so that no file
    /// written since, by anyone, can take their place.
    /// </summary>
    public byte[] Assembly { get; init; } = [];
    /// <summary>The exercise's judge (ask).</summary>
    public string Judge { get; init; } = "";
    /// <summary>The questions (ask).</summary>
    public IReadOnlyList<TestQuestion> Tests { get; init; } = [];
}

/// <summary>One submission of one exercise to compile into <paramref name="AssemblyPath"/>.</summary>
internal sealed record CompileJob(string Id, IReadOnlyList<SourceFile> Sources, string AssemblyPath);

/// <summary>One source file of a submission, named relative to its exercise folder.</summary>
internal sealed record SourceFile(string Name, string Text);

/// <summary>A test's question for the student's code.</summary>
internal sealed record TestQuestion(string Test, JsonNode Question);
