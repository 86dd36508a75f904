using System.Diagnostics;
using System.Xml.Linq;
using VirtLab.Grading.Exercises;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Grading;

/// <summary>
/// The released repository's <c>ci/grade.sh</c> as a CI runs it: one group per call, JUnit XML and
/// Markdown in virtlab-results/, the points in the job summary, and an exit code that carries them.
/// virtlab is the CLI next to these tests (<c>VIRTLAB</c>), so nothing is cloned or built.
/// </summary>
public class CiScriptTests : IDisposable
{
    private readonly GradingScratch _scratch = new();

    [Fact]
    public void A_student_repository_is_graded_per_group_with_points_in_the_summary_and_the_exit_code()
    {
        string repo = Path.Combine(_scratch.Root, "student-repo");
        ExerciseRelease.Write(ExerciseSet.Load(GradingScratch.SourceExercises), repo);
        string summary = Path.Combine(_scratch.Root, "summary.md");

        // The starter as released: the visible group loses its points.
        var starter = Script(repo, summary, "--exercise", "06-sizing", "--group", "visible");
        Assert.True(starter.Code == 1, starter.Text);
        string results = Path.Combine(repo, "virtlab-results");
        var suite = XDocument.Load(Path.Combine(results, "06-sizing-visible.xml")).Root!.Element("testsuite")!;
        Assert.Equal("carol/06-sizing", (string)suite.Attribute("name")!);
        Assert.Equal(2, (int)suite.Attribute("errors")!);
        Assert.Equal("1", File.ReadAllText(Path.Combine(results, "06-sizing-visible.exit")).Trim());
        Assert.Contains("total: 0/6 points", starter.Text);
        Assert.Equal(1, Script(repo, summary, "--check").Code);

        // The student's work: the same step passes and the job with it.
        File.Copy(Path.Combine(GradingScratch.SourceExercises, "06-sizing", "Sizing.cs"), Path.Combine(repo, "06-sizing", "Sizing.cs"), overwrite: true);
        var solved = Script(repo, summary, "--exercise", "06-sizing", "--group", "visible");
        Assert.True(solved.Code == 0, solved.Text);
        Assert.Equal(0, Script(repo, summary, "--check").Code);
        Assert.Equal(0, Script(repo, summary, "--summary").Code);
        Assert.Contains("## VirtLab grade: 6/6 points", File.ReadAllText(summary));
    }

    [Fact]
    public void Without_a_virtlab_the_script_says_how_to_give_one()
    {
        string repo = Path.Combine(_scratch.Root, "student-repo");
        ExerciseRelease.Write(ExerciseSet.Load(GradingScratch.SourceExercises), repo);
        var r = Script(repo, null, environment: new() { ["VIRTLAB"] = null, ["PATH"] = "/usr/bin:/bin" });
        Assert.Equal(2, r.Code);
        Assert.Contains("no virtlab: set VIRTLAB, VIRTLAB_SRC or VIRTLAB_REPO", r.Text);
    }

    private static (int Code, string Text) Script(string repo, string? summary, params string[] args) => Script(repo, summary, null, args);

    private static (int Code, string Text) Script(string repo, string? summary, Dictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(repo, "ci", "grade.sh"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["VIRTLAB"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "VirtLab.Cli.dll")}";
        start.Environment["VIRTLAB_STUDENT"] = "carol";
        if (summary is not null) start.Environment["GITHUB_STEP_SUMMARY"] = summary;
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "grade.sh did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose() => _scratch.Dispose();
}
