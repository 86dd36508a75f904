using System.Text.Json;
using System.Xml.Linq;
using VirtLab.Cli;
using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Grading;

/// <summary>
/// A class of submissions that try to change their score rather than earn it, graded through
/// <c>virtlab grade</c> beside a good one: writing results files, printing fake points and forged
/// replies, reflecting into the grader's types, reading the hidden tests from disk, exiting with
/// code 0. The student's code only ever produces answers in a child process; the grader judges
/// them, so each attack earns exactly what its answers are worth: nothing.
/// </summary>
public sealed class AttackClass : IDisposable
{
    private readonly GradingScratch _scratch = new();

    public AttackClass()
    {
        Exercises = _scratch.Exercises(new ResourceLimits(10, 300, 256));
        string classFolder = Path.Combine(_scratch.Root, "class");
        Report = Path.Combine(_scratch.Root, "grades.json");
        JUnit = Path.Combine(_scratch.Root, "grades.xml");
        WriterFolder = Path.Combine(classFolder, "write-results");
        _scratch.Submission("class", "write-results", GradingScratch.Bad("write-results", ("SUBMISSION", WriterFolder), ("REPORT", Report), ("GRADEBOOK", JUnit)));
        _scratch.Submission("class", "read-disk", GradingScratch.Bad("read-disk", ("EXERCISES", Exercises)));
        foreach (var name in new[] { "fake-points", "reflect", "exit-zero" }) _scratch.Submission("class", name, GradingScratch.Bad(name));
        _scratch.Submission("class", "good", GradingScratch.Solution);
        Cli = CliHarness.Run("grade", classFolder, "--exercises", Exercises, "--format", "json", "--output", Report, "--junit", JUnit, "--jobs", "2", "--quiet");
        Json = File.ReadAllText(Report);
        Points = JsonDocument.Parse(Json).RootElement.GetProperty("submissions").EnumerateArray()
            .ToDictionary(s => s.GetProperty("student").GetString()!, s => s.GetProperty("points").GetDouble());
    }

    public string Exercises { get; }
    /// <summary>The class's grades as JSON, as <c>--output</c> wrote them (the attacks aim at this file).</summary>
    public string Report { get; }
    public string JUnit { get; }
    public string WriterFolder { get; }
    public CliResult Cli { get; }
    /// <summary>Each student's total from the report.</summary>
    public Dictionary<string, double> Points { get; }
    /// <summary>The report's text (with what the students' code printed on visible tests).</summary>
    public string Json { get; }

    public GradingScratch Scratch => _scratch;

    public void Dispose() => _scratch.Dispose();
}

public class GraderIntegrityTests(AttackClass graded) : IClassFixture<AttackClass>
{
    [Fact]
    public void The_class_is_graded_and_only_the_good_submission_scores()
    {
        Assert.Equal(0, graded.Cli.ExitCode);
        Assert.Equal(["exit-zero", "fake-points", "good", "read-disk", "reflect", "write-results"], graded.Points.Keys.Order());
        Assert.Equal(10, graded.Points["good"]);
        Assert.All(graded.Points.Where(p => p.Key != "good"), p => Assert.Equal(0, p.Value));
    }

    [Fact]
    public void Writing_results_files_changes_nothing()
    {
        // The forged files it managed to write are simply not read, and the reports it overwrote while it
        // ran were written again by the grader once every child had ended.
        Assert.True(File.Exists(Path.Combine(graded.WriterFolder, "results.json")), "the attack should have written its file");
        Assert.DoesNotContain("mallory", graded.Json);
        Assert.DoesNotContain("mallory", File.ReadAllText(graded.JUnit));
        Assert.Equal(0, graded.Points["write-results"]);
        var junit = XDocument.Load(graded.JUnit);
        Assert.Equal("0", junit.Descendants("testsuite").Single(s => (string)s.Attribute("name")! == "write-results/06-sizing")
            .Element("properties")!.Elements().Single(p => (string)p.Attribute("name")! == "points").Attribute("value")!.Value);
    }

    [Fact]
    public void Printing_fake_points_and_forged_replies_earns_what_the_forged_answer_is_worth()
    {
        Assert.Equal(0, graded.Points["fake-points"]);
        // Its forged reply said "answer": 999 with a verdict and points; the grader judged the 999.
        Assert.Contains("999 is outside 0..16", graded.Json);
    }

    [Fact]
    public void Reflecting_into_the_graders_types_changes_only_the_childs_copy()
    {
        Assert.Equal(0, graded.Points["reflect"]);
        Assert.Matches(@"changed [1-9]\d* static fields; made TestResult", graded.Json);
        // The same grading process went on to judge the good submission correctly.
        Assert.Equal(10, graded.Points["good"]);
    }

    [Fact]
    public void Reading_the_disk_finds_the_hidden_tests_but_no_expected_value()
    {
        Assert.Equal(0, graded.Points["read-disk"]);
        Assert.Matches(@"read \d+ files \([1-9]\d* of the hidden tests\), found no expected value", graded.Json);
    }

    [Fact]
    public void Exiting_with_code_zero_early_earns_nothing_and_the_grade_command_still_reports_lost_points()
    {
        Assert.Equal(0, graded.Points["exit-zero"]);
        var single = CliHarness.Run("grade", Path.Combine(graded.Scratch.Root, "class", "exit-zero"), "--exercises", graded.Exercises,
            "--student", "exit-zero", "--group", "visible", "--quiet");
        Assert.Equal(GradeCommand.PointsLost, single.ExitCode);
        Assert.Contains("ended the process (exit code 0) before it answered", single.Output);
        Assert.Contains("total: 0/6 points", single.Output);
    }

    [Fact]
    public void The_grader_writes_nothing_to_disk_but_the_compiled_submission()
    {
        string scratch = Path.Combine(graded.Scratch.Root, "kept");
        var grader = new Grader(ExerciseSet.Load(graded.Exercises), new GraderOptions { ScratchDirectory = scratch, KeepScratch = true, Group = "visible" });
        var result = grader.Grade(Path.Combine(graded.Scratch.Root, "class", "good"), "good");
        Assert.True(result.FullMarks);
        var files = Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)).ToList();
        Assert.Equal(["student.dll"], files);
    }
}
