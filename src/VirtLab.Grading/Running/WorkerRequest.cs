using System.Text.Json.Nodes;

namespace VirtLab.Grading.Running;

/// <summary>
/// What the grader asks its child process (the worker) to do, sent as one JSON object on the
/// child's standard input: compile a submission, or ask the compiled submission some tests'
/// questions. It carries questions, never expected values.
/// </summary>
internal sealed record WorkerRequest
{
    /// <summary>Compile <see cref="Sources"/> into <see cref="AssemblyPath"/>.</summary>
    public const string Compile = "compile";
    /// <summary>Load <see cref="AssemblyPath"/> and ask it each of <see cref="Tests"/>, in order.</summary>
    public const string Ask = "ask";

    public required string Kind { get; init; }
    /// <summary>The student's files (compile).</summary>
    public IReadOnlyList<SourceFile> Sources { get; init; } = [];
    /// <summary>The compiled submission: written by a compile, loaded by an ask.</summary>
    public required string AssemblyPath { get; init; }
    /// <summary>The exercise's judge (ask).</summary>
    public string Judge { get; init; } = "";
    /// <summary>The questions (ask).</summary>
    public IReadOnlyList<TestQuestion> Tests { get; init; } = [];
}

/// <summary>One source file of a submission, named relative to its exercise folder.</summary>
internal sealed record SourceFile(string Name, string Text);

/// <summary>A test's question for the student's code.</summary>
internal sealed record TestQuestion(string Test, JsonNode Question);
