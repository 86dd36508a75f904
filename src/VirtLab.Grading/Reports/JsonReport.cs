using System.Text.Json;
using System.Text.Json.Serialization;
using VirtLab.Grading.Results;

namespace VirtLab.Grading.Reports;

/// <summary>Grades as JSON (<c>--format json</c>): the result records as they are, statuses as words.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Reports are files and console output, never embedded in HTML: keep "<" and "'" readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Of(SubmissionResult submission) => JsonSerializer.Serialize(submission, Options);
    public static string Of(ClassResult result) => JsonSerializer.Serialize(result, Options);
    public static string Of(IReadOnlyList<AnswerKeyEntry> key) => JsonSerializer.Serialize(key, Options);
}
