using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using VirtLab.Cli;
using VirtLab.Grading.Exercises;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Grading;

/// <summary><c>virtlab grade</c> and <c>virtlab exercises</c> as a shell calls them: exit codes, formats, the answer key, mistakes.</summary>
public class GradeCommandTests : IDisposable
{
    private readonly GradingScratch _scratch = new();
    private static readonly string Solution = Path.Combine(GradingScratch.SourceExercises, "06-sizing");

    [Fact]
    public void The_solution_passes_its_visible_group_in_every_format_with_exit_code_0()
    {
        string junit = Path.Combine(_scratch.Root, "grades.xml"), markdown = Path.Combine(_scratch.Root, "summary.md");
        var table = CliHarness.Run("grade", Solution, "--student", "alice", "--group", "visible", "--junit", junit, "--markdown", markdown, "--quiet");
        Assert.Equal(GradeCommand.FullMarks, table.ExitCode);
        Assert.Contains("total: 6/6 points", table.Output);
        Assert.Contains("own-mix", table.Output);
        Assert.DoesNotContain("unseen-host", table.Output);

        // The same run wrote JUnit XML and Markdown.
        var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
        Assert.Equal("alice/06-sizing", (string)suite.Attribute("name")!);
        Assert.Equal(2, (int)suite.Attribute("tests")!);
        Assert.Equal(0, (int)suite.Attribute("failures")! + (int)suite.Attribute("errors")!);
        Assert.StartsWith("## VirtLab grade: 6/6 points", File.ReadAllText(markdown));

        var json = JsonDocument.Parse(CliHarness.Run("grade", Solution, "--student", "alice", "--group", "visible", "--format", "json", "--quiet").Output).RootElement;
        Assert.Equal(6, json.GetProperty("points").GetDouble());
        Assert.Equal("passed", json.GetProperty("exercises")[0].GetProperty("tests")[0].GetProperty("status").GetString());

        var csv = CliHarness.Run("grade", Solution, "--student", "alice", "--group", "visible", "--format", "csv", "--quiet").Output.Split('\n');
        Assert.Equal("student,exercise,test,group,hidden,points,max_points,status,message", csv[0]);
        Assert.StartsWith("alice,06-sizing,own-mix,visible,no,4,4,passed,", csv[1]);
    }

    [Fact]
    public void The_released_starter_loses_points_with_exit_code_1_and_says_who_grades_the_hidden_tests()
    {
        string release = Path.Combine(_scratch.Root, "release");
        Assert.Equal(0, CliHarness.Run("exercises", "release", "--exercises", GradingScratch.SourceExercises, "--output", release).ExitCode);
        var result = CliHarness.Run("grade", Path.Combine(release, "06-sizing"), "--exercises", release, "--student", "alice", "--quiet");
        Assert.Equal(GradeCommand.PointsLost, result.ExitCode);
        Assert.Contains("total: 0/6 points (hidden tests worth 4 more points are graded by your instructor)", result.Output);
        Assert.Contains("hidden test: your instructor runs it", result.Output);
        Assert.Contains("System.NotImplementedException", result.Output);
    }

    [Fact]
    public void The_answer_key_gives_every_tests_question_and_answer_and_agrees_with_the_grading()
    {
        var key = CliHarness.Run("grade", Solution, "--student", "alice", "--answers", "--quiet");
        Assert.Equal(0, key.ExitCode);
        Assert.Contains("answers for 'alice':", key.Output);
        foreach (var test in new[] { "own-mix", "single-core", "unseen-host (hidden)", "strict-slo (hidden)" })
            Assert.Contains($"06-sizing / {test}", key.Output);
        // The key's answer for own-mix is the count the grading of the solution reported for it.
        string answer = Regex.Match(key.Output, @"own-mix, 4 points\n\s+question: .*\n\s+answer:\s+(\d+ VMs?)").Groups[1].Value;
        Assert.NotEqual("", answer);
        var graded = CliHarness.Run("grade", Solution, "--student", "alice", "--group", "visible", "--format", "csv", "--quiet").Output;
        Assert.Contains($"own-mix,visible,no,4,4,passed,\"{answer}, a vCPU:pCPU ratio", graded);
        Assert.Equal(ExitCodes.CannotLoad, CliHarness.Run("grade", Solution, "--answers", "--format", "junit").ExitCode);
    }

    [Fact]
    public void Mistakes_are_told_in_one_line_with_exit_code_2()
    {
        static void Refused(string expected, params string[] args)
        {
            var r = CliHarness.Run(args);
            Assert.Equal(ExitCodes.CannotLoad, r.ExitCode);
            Assert.Contains(expected, r.Error);
        }
        Refused("no such folder", "grade", Path.Combine(Path.GetTempPath(), "no-such-submission-" + Guid.NewGuid()));
        Refused("no exercise '09-nothing'", "grade", Solution, "--exercise", "09-nothing");
        Refused("no test is in group 'fairness'", "grade", Solution, "--group", "fairness");
        Refused("holds none of the exercises", "grade", _scratch.Root, "--exercises", GradingScratch.SourceExercises);
        Refused("--jobs: 0 must be at least 1", "grade", Solution, "--jobs", "0");

        // A class whose submissions carry their own (untrusted) manifests cannot be graded against them.
        string classFolder = Path.Combine(_scratch.Root, "class");
        GradingScratch.Copy(Path.Combine(GradingScratch.SourceExercises, "06-sizing"), Path.Combine(classFolder, "alice", "06-sizing"));
        GradingScratch.Copy(Path.Combine(GradingScratch.SourceExercises, "06-sizing"), Path.Combine(classFolder, "bob", "06-sizing"));
        Refused("lie inside the submissions", "grade", classFolder, "--exercises", Path.Combine(classFolder, "alice"));
    }

    [Fact]
    public void Exercises_list_shows_tests_groups_and_points()
    {
        var r = CliHarness.Run("exercises", "list", "--exercises", GradingScratch.SourceExercises);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("06-sizing: Sizing under overcommit (10 points, judge 'sizing'; the student edits Sizing.cs)", r.Output);
        Assert.Matches(@"unseen-host\s+hidden\s+2 points  hidden", r.Output);
    }

    [Fact]
    public void Exercises_release_reports_what_it_did_and_refuses_to_overwrite()
    {
        string release = Path.Combine(_scratch.Root, "release");
        var first = CliHarness.Run("exercises", "release", "--exercises", GradingScratch.SourceExercises, "--output", release);
        Assert.Equal(0, first.ExitCode);
        Assert.Matches(@"released 1 exercise\(s\) to .*: \d+ files, \d+ solution region\(s\) stripped", first.Output);
        Assert.Contains($"left out: {Path.Combine("06-sizing", "hidden")}", first.Output);
        var again = CliHarness.Run("exercises", "release", "--exercises", GradingScratch.SourceExercises, "--output", release);
        Assert.Equal(ExitCodes.CannotLoad, again.ExitCode);
        Assert.Contains("is not empty (use --force to write over it)", again.Error);
        Assert.Equal(0, CliHarness.Run("exercises", "release", "--exercises", GradingScratch.SourceExercises, "--output", release, "--force").ExitCode);
    }

    public void Dispose() => _scratch.Dispose();
}
