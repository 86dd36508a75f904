using System.Text.Json;

namespace VirtLab.Interactive;

/// <summary>
/// One question's answer for one student, as answers mode prints it (OSTEP's <c>-c</c>): what
/// <c>virtlab answers</c> collects from a notebook run and lists for the instructor.
/// <para>
/// In answers mode (<c>VIRTLAB_ANSWERS=1</c>) every question, as its cell asks it, computes its
/// answer and writes this record to the cell's standard output as one line: <see cref="Marker"/>
/// followed by JSON. The answers therefore come from the notebook's own code, run as a student
/// runs it, and cannot drift from it.
/// </para>
/// </summary>
/// <param name="Id">The question id (<c>03.2</c>).</param>
/// <param name="Student">The student id the parameters were drawn for.</param>
/// <param name="Text">The question as the student reads it, parameters filled in.</param>
/// <param name="Options">For a multiple-choice question, its options as <c>a) ...</c>; otherwise empty.</param>
/// <param name="Parameters">The drawn parameters, by name.</param>
/// <param name="Answer">The answer, with as many digits as the tolerance needs (a choice is its letter); null when computing it failed.</param>
/// <param name="Tolerance">What counts as right: <c>exact</c>, <c>± 0.5</c>, <c>± 2 %</c>.</param>
/// <param name="Error">Why the answer could not be computed, or null.</param>
public sealed record AnswerRecord(
    string Id, string Student, string Text, IReadOnlyList<string> Options, IReadOnlyList<QuestionParameter> Parameters,
    string? Answer, string Tolerance, string? Error)
{
    /// <summary>What starts an answer line in a cell's output.</summary>
    public const string Marker = "virtlab-answer: ";

    private static readonly JsonSerializerOptions json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The record as one output line: the marker, then compact JSON.</summary>
    public string ToLine() => Marker + JsonSerializer.Serialize(this, json);

    /// <summary>The record as JSON (snake_case names), for <c>virtlab answers --format json</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, json);

    /// <summary>Every answer line in <paramref name="output"/> (a cell's standard output), in order. Other lines are ignored.</summary>
    public static IReadOnlyList<AnswerRecord> FindIn(string output) =>
        output.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith(Marker, StringComparison.Ordinal))
            .Select(line => JsonSerializer.Deserialize<AnswerRecord>(line[Marker.Length..], json)
                            ?? throw new FormatException("an empty answer record: " + line))
            .ToList();
}
