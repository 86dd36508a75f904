using System.Globalization;
using System.Text.RegularExpressions;
using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Tests.Cli;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Class mode end to end: 30 generated submissions (good, partial, broken and malicious) graded by
/// <c>virtlab grade submissions/ --format csv</c> into a gradebook whose every total is known in
/// advance from what each kind of submission does.
/// </summary>
public class ClassGradingTests(ITestOutputHelper output) : IDisposable
{
    private readonly GradingScratch _scratch = new();

    /// <summary>Each kind of submission, how many of it, and its total when each test's answer is known.</summary>
    private static readonly (string Kind, int Count)[] Kinds =
    [
        ("good", 12), ("off-by-one", 3), ("visible-only", 3), ("one-test-hangs", 2),
        ("throws", 1), ("crash-thread", 1), ("stack-overflow", 1), ("exit-zero", 1), ("allocate", 1),
        ("compile-error", 1), ("no-method", 1), ("fake-points", 1), ("reflect", 1), ("missing", 1),
    ];

    [Fact]
    public void Thirty_submissions_grade_into_a_correct_gradebook()
    {
        Assert.Equal(30, Kinds.Sum(k => k.Count));
        string exercises = _scratch.Exercises(new ResourceLimits(CpuSeconds: 8, WallSeconds: 300, MemoryMiB: 256));
        string classFolder = Path.Combine(_scratch.Root, "submissions");
        var students = new List<(string Student, string Kind)>();
        foreach (var (kind, count) in Kinds)
            for (int i = 1; i <= count; i++)
            {
                string student = $"{kind}-{i}";
                students.Add((student, kind));
                if (kind == "missing") Directory.CreateDirectory(Path.Combine(classFolder, student, "notes"));
                else _scratch.Submission("submissions", student, kind == "good" ? $"// {student}'s solution\n" + GradingScratch.Solution : GradingScratch.Bad(kind));
            }

        string gradebook = Path.Combine(_scratch.Root, "gradebook.csv");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cli = CliHarness.Run("grade", classFolder, "--exercises", exercises, "--format", "csv", "--output", gradebook, "--jobs", "2");
        clock.Stop();
        output.WriteLine(cli.Error);
        Assert.Equal(0, cli.ExitCode);
        output.WriteLine($"graded 30 submissions in {clock.Elapsed.TotalSeconds:0.0} s with 2 jobs on {Environment.ProcessorCount} cores");

        var lines = File.ReadAllLines(gradebook);
        Assert.Equal("student,06-sizing/own-mix,06-sizing/single-core,06-sizing/unseen-host,06-sizing/strict-slo,06-sizing,total,max_points,not_passed", lines[0]);
        var rows = lines.Skip(1).Select(ParseCsv).ToDictionary(r => r[0]);
        Assert.Equal(30, rows.Count);

        var key = new Grader(ExerciseSet.Load(exercises));
        foreach (var (student, kind) in students)
        {
            var row = rows[student];
            double expected = Expected(kind, student, key);
            Assert.True(expected == double.Parse(row[6], CultureInfo.InvariantCulture), $"{student}: total {row[6]}, expected {expected}; not passed: {row[8]}");
            Assert.Equal("10", row[7]);
            Assert.Equal(row[6], row[5]);
            // The per-test columns add up to the total.
            Assert.Equal(double.Parse(row[6], CultureInfo.InvariantCulture), row[1..5].Sum(c => double.Parse(c, CultureInfo.InvariantCulture)), 2);
            if (kind == "good") Assert.Equal("", row[8]);
            else Assert.NotEqual("", row[8]);
        }
        Assert.Contains("06-sizing/own-mix: time limit", rows["one-test-hangs-1"][8]);
        Assert.Contains("compile error", rows["compile-error-1"][8]);
        Assert.Contains("not submitted", rows["missing-1"][8]);
    }

    /// <summary>What a kind of submission must score, from the expected answers of its student's tests.</summary>
    private static double Expected(string kind, string student, Grader key)
    {
        switch (kind)
        {
            case "good": return 10;
            case "visible-only": return 6;       // right on both visible tests, -1 on the hidden ones
            case "one-test-hangs": return 6;     // own-mix (4) lost to the time limit, the rest right
            case "off-by-one":
                // It answers the first count that misses the limit: half points, or all of them when no count misses (the answer is then MaxVms).
                double total = 0;
                foreach (var entry in key.AnswerKey(student))
                {
                    int answer = int.Parse(Regex.Match(entry.Expected, @"^(\d+) VM").Groups[1].Value, CultureInfo.InvariantCulture);
                    int max = int.Parse(Regex.Match(entry.Question, @"at most (\d+) VMs").Groups[1].Value, CultureInfo.InvariantCulture);
                    total += answer < max ? entry.Points / 2 : entry.Points;
                }
                return total;
            default: return 0;
        }
    }

    private static string[] ParseCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }

    public void Dispose() => _scratch.Dispose();
}
