using System.Globalization;
using System.Text;

namespace VirtLab.Grading.Exercises;

/// <summary>
/// Renders the GitHub Actions template of <c>exercises/ci/</c> for a release: the line holding
/// <see cref="StepsPlaceholder"/> becomes one step per test group of every exercise (groups with at
/// least one visible test; hidden ones cannot run in a student's repository), at that line's
/// indentation. Each step grades only its group and fails when the group lost points, so a forge
/// that gives points per passing step can use the steps directly.
/// </summary>
public static class CiWorkflow
{
    /// <summary>The template's file name inside <c>exercises/ci/</c>.</summary>
    public const string TemplateFile = "github-actions.yml";
    /// <summary>The template line that the group steps replace.</summary>
    public const string StepsPlaceholder = "# @virtlab-group-steps@";

    /// <summary>The groups a student's repository can run: (exercise, group, points of its visible tests).</summary>
    public static IReadOnlyList<(string Exercise, string Group, double Points)> Groups(ExerciseSet exercises) =>
        [.. exercises.Exercises.SelectMany(e => e.Tests.Where(t => !t.Hidden).GroupBy(t => t.Group)
            .Select(g => (e.Id, g.Key, g.Sum(t => t.Points))))];

    /// <summary>The template with its placeholder line replaced by the steps. Throws <see cref="ExerciseFormatException"/> if the template lacks the placeholder.</summary>
    public static string Render(string template, ExerciseSet exercises)
    {
        var lines = template.Replace("\r\n", "\n").Split('\n');
        int at = Array.FindIndex(lines, l => l.Trim() == StepsPlaceholder);
        if (at < 0) throw new ExerciseFormatException(TemplateFile, $"has no line '{StepsPlaceholder}' to put the group steps on");
        string indent = lines[at][..(lines[at].Length - lines[at].TrimStart().Length)];
        var steps = new StringBuilder();
        foreach (var (exercise, group, points) in Groups(exercises))
        {
            string id = $"{exercise}-{group}";
            steps.Append(indent).Append($"- name: \"{exercise} / {group} ({points.ToString("0.##", CultureInfo.InvariantCulture)} points)\"\n");
            steps.Append(indent).Append($"  id: {StepId(id)}\n");
            steps.Append(indent).Append("  continue-on-error: true\n");
            steps.Append(indent).Append($"  run: bash ci/grade.sh --exercise {exercise} --group {group}\n");
        }
        lines[at] = steps.ToString().TrimEnd('\n');
        return string.Join("\n", lines);
    }

    /// <summary>A step id GitHub accepts: letters, digits, <c>_</c> and <c>-</c>, starting with a letter or <c>_</c>.</summary>
    private static string StepId(string text) =>
        "g_" + new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_').ToArray());
}
