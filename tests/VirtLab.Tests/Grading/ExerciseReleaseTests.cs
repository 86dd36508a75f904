using VirtLab.Grading.Exercises;

namespace VirtLab.Tests.Grading;

public class ExerciseReleaseTests : IDisposable
{
    private readonly GradingScratch _scratch = new();

    [Fact]
    public void The_release_strips_solutions_leaves_out_hidden_tests_and_writes_a_ci_workflow()
    {
        var set = ExerciseSet.Load(GradingScratch.SourceExercises);
        string output = Path.Combine(_scratch.Root, "student-repo");
        var summary = ExerciseRelease.Write(set, output);

        string sizing = File.ReadAllText(Path.Combine(output, "06-sizing", "Sizing.cs"));
        Assert.DoesNotContain("ExperimentRunner.Run(", sizing);
        Assert.DoesNotContain("SOLUTION", sizing);
        Assert.Equal(2, sizing.Split("throw new NotImplementedException();").Length - 1);
        Assert.Contains("public static int MaxVms(SizingProblem problem)", sizing);
        Assert.True(summary.RegionsStripped >= 2);

        Assert.False(Directory.Exists(Path.Combine(output, "06-sizing", "hidden")));
        Assert.Contains(Path.Combine("06-sizing", "hidden"), summary.LeftOut);
        foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            Assert.False(SolutionRegions.HasMarkers(text), $"{file} still has a region marker");
            // The hidden tests' parameters appear nowhere in the student version.
            Assert.DoesNotContain("\"pcpus\": 3", text);
        }

        // The released manifest still loads and still lists the hidden tests' points.
        var released = ExerciseSet.Load(output);
        Assert.Equal(10, released.Find("06-sizing")!.MaxPoints);
        Assert.False(released.HasHiddenTests);

        Assert.True(File.Exists(Path.Combine(output, "README.md")));
        Assert.True(File.Exists(Path.Combine(output, "ci", "grade.sh")));
        string workflow = File.ReadAllText(Path.Combine(output, ExerciseRelease.WorkflowPath));
        Assert.DoesNotContain(CiWorkflow.StepsPlaceholder, workflow);
        Assert.Contains("run: bash ci/grade.sh --exercise 06-sizing --group visible", workflow);
        Assert.DoesNotContain("--group hidden", workflow);
    }

    [Fact]
    public void The_release_refuses_to_write_inside_its_source_or_over_files()
    {
        string source = _scratch.Exercises();
        var set = ExerciseSet.Load(source);
        Assert.Contains("must lie outside the source folder", Assert.Throws<IOException>(() => ExerciseRelease.Write(set, Path.Combine(source, "release"))).Message);
        Assert.Contains("must lie outside the source folder", Assert.Throws<IOException>(() => ExerciseRelease.Write(set, _scratch.Root)).Message);
        string output = Path.Combine(_scratch.Root, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        Assert.Contains("is not empty", Assert.Throws<IOException>(() => ExerciseRelease.Write(set, output)).Message);
        ExerciseRelease.Write(set, output, overwrite: true);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }

    [Fact]
    public void A_broken_region_stops_the_release_naming_the_file()
    {
        string source = _scratch.Exercises();
        File.AppendAllText(Path.Combine(source, "06-sizing", "Sizing.cs"), "\n// BEGIN SOLUTION\n");
        var e = Assert.Throws<ExerciseFormatException>(() => ExerciseRelease.Write(ExerciseSet.Load(source), Path.Combine(_scratch.Root, "out")));
        Assert.Contains(Path.Combine("06-sizing", "Sizing.cs"), e.Message);
        Assert.Contains("is never closed", e.Message);
    }

    [Fact]
    public void The_workflow_has_one_step_per_visible_group_at_the_placeholders_indentation()
    {
        var set = ExerciseSet.Load(GradingScratch.SourceExercises);
        string rendered = CiWorkflow.Render("jobs:\n  grade:\n    steps:\n      - uses: x\n      # @virtlab-group-steps@\n      - run: done\n", set);
        Assert.Contains("      - name: \"06-sizing / visible (6 points)\"\n        id: g_06-sizing-visible\n        continue-on-error: true\n        run: bash ci/grade.sh --exercise 06-sizing --group visible\n      - run: done", rendered);
        Assert.Throws<ExerciseFormatException>(() => CiWorkflow.Render("steps: []\n", set));
    }

    public void Dispose() => _scratch.Dispose();
}
