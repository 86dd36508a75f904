using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtLab.Notebooks;

/// <summary>
/// What the course site's table of contents says about a lesson: its goals, how long it takes,
/// what the student runs in it, and its sections.
/// <para>
/// The convention (notebooks/README.md describes it for lesson authors):
/// <list type="bullet">
/// <item><b>Goals</b>: the items of the first list under the lesson's "What you will learn" heading.</item>
/// <item><b>Minutes</b>: <c>metadata.virtlab.minutes</c> in the .ipynb, the time a student needs (reading and trying, not the run time).</item>
/// <item><b>Runs</b>: <c>metadata.virtlab.runs</c>, a list of short phrases naming what the student runs ("the `ballooning` experiment, 3 VMs").</item>
/// <item><b>Sections</b>: the lesson's <c>##</c> headings, in order.</item>
/// </list>
/// Goals and runs may use inline markdown (<c>`code`</c>, <c>**bold**</c>). A .dib lesson has no
/// such metadata; its index entry then shows goals and sections only.
/// </para>
/// </summary>
/// <param name="Title">The lesson's title (its first heading).</param>
/// <param name="Goals">The "What you will learn" items, as markdown.</param>
/// <param name="Minutes">The estimated minutes, or null when the notebook does not say.</param>
/// <param name="Runs">What the student runs, as markdown phrases.</param>
/// <param name="Sections">The <c>##</c> sections with their page anchors.</param>
/// <param name="Problems">What is missing or malformed, one sentence each (the course build prints them).</param>
public sealed record LessonOutline(
    string Title, IReadOnlyList<string> Goals, int? Minutes, IReadOnlyList<string> Runs, IReadOnlyList<LessonSection> Sections, IReadOnlyList<string> Problems)
{
    /// <summary>The notebook metadata object that holds VirtLab's keys: <c>metadata.virtlab</c>.</summary>
    public const string MetadataKey = "virtlab";

    /// <summary>The key of the estimated minutes in <c>metadata.virtlab</c>.</summary>
    public const string MinutesKey = "minutes";

    /// <summary>The key of the list of what the student runs in <c>metadata.virtlab</c>.</summary>
    public const string RunsKey = "runs";

    /// <summary>The heading whose list gives the goals (compared ignoring case; "What you will learn:" also counts).</summary>
    public const string GoalsHeading = "What you will learn";

    /// <summary>The outline of <paramref name="lesson"/>.</summary>
    public static LessonOutline Of(NotebookDocument lesson) => LessonMarkdown.Parse(lesson).Outline;

    /// <summary>Reads <c>metadata.virtlab</c>: the minutes and the runs, and what is wrong with them.</summary>
    internal static (int? Minutes, IReadOnlyList<string> Runs, IReadOnlyList<string> Problems) ReadMetadata(NotebookDocument lesson)
    {
        var problems = new List<string>();
        if (lesson.Format == NotebookFormat.Dib) return (null, [], problems);
        var virtlab = lesson.Metadata[MetadataKey];
        if (virtlab is null)
        {
            problems.Add($"no metadata.{MetadataKey} (the index shows no time and nothing to run for it)");
            return (null, [], problems);
        }
        if (virtlab is not JsonObject keys)
        {
            problems.Add($"metadata.{MetadataKey} should be an object with \"{MinutesKey}\" and \"{RunsKey}\", found {virtlab.ToJsonString()}");
            return (null, [], problems);
        }

        int? minutes = null;
        switch (keys[MinutesKey])
        {
            case null:
                problems.Add($"no metadata.{MetadataKey}.{MinutesKey}");
                break;
            case JsonValue value when Number(value) is > 0 and < 1000 and var number:
                minutes = (int)Math.Ceiling(number);
                break;
            case var other:
                problems.Add($"metadata.{MetadataKey}.{MinutesKey} should be a number of minutes (1 to 999), found {other.ToJsonString()}");
                break;
        }

        var runs = new List<string>();
        switch (keys[RunsKey])
        {
            case null:
                problems.Add($"no metadata.{MetadataKey}.{RunsKey}");
                break;
            case JsonValue single when single.TryGetValue<string>(out var text):
                runs.Add(text);
                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    if (item is JsonValue v && v.TryGetValue<string>(out var phrase) && phrase.Trim().Length > 0) runs.Add(phrase.Trim());
                    else problems.Add($"metadata.{MetadataKey}.{RunsKey} should hold short phrases (strings), found {item?.ToJsonString() ?? "null"}");
                }
                break;
            case var other:
                problems.Add($"metadata.{MetadataKey}.{RunsKey} should be a list of phrases, found {other.ToJsonString()}");
                break;
        }
        return (minutes, runs, problems);
    }

    /// <summary>A JSON number as a double, however it was made (read from a file, or built in code from an int); null for anything else.</summary>
    private static double? Number(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.Number && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
