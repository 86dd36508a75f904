using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Grading;

public class ExerciseManifestTests : IDisposable
{
    private readonly GradingScratch _scratch = new();

    [Fact]
    public void The_course_exercises_load_with_points_limits_and_hidden_tests()
    {
        var set = ExerciseSet.Load(GradingScratch.SourceExercises);
        var sizing = set.Find("06-sizing")!;
        Assert.Equal("sizing", sizing.Judge);
        Assert.Equal(["Sizing.cs"], sizing.StudentFiles);
        Assert.Equal(10, sizing.MaxPoints);
        Assert.True(sizing.HasHiddenTests);
        Assert.Equal(["own-mix", "single-core", "unseen-host", "strict-slo"], sizing.Tests.Select(t => t.Name));
        Assert.All(sizing.Tests.Where(t => t.Hidden), t => Assert.Equal(VariantScope.Class, t.Variant));
        Assert.All(sizing.Tests.Where(t => !t.Hidden), t => Assert.Equal(VariantScope.Student, t.Variant));
        Assert.All(sizing.Tests, t => Assert.True(t.Available));
        Assert.Equal(new ResourceLimits(20, 60, 512), sizing.Limits);
    }

    [Fact]
    public void Without_its_hidden_folder_an_exercise_lists_hidden_tests_that_cannot_run()
    {
        string root = _scratch.Exercises();
        Directory.Delete(Path.Combine(root, "06-sizing", "hidden"), recursive: true);
        var sizing = Exercise.Load(Path.Combine(root, "06-sizing"));
        Assert.False(sizing.HasHiddenTests);
        Assert.Equal(10, sizing.MaxPoints);
        Assert.Equal(["unseen-host", "strict-slo"], sizing.Tests.Where(t => !t.Available).Select(t => t.Name));
    }

    [Theory]
    [InlineData("""{"id":"06-sizing","title":"t","judge":"sizing","studentFiles":["S.cs"],"tests":[{"name":"a","points":1}],"colour":"red"}""", "colour: unknown field")]
    [InlineData("""{"id":"07-other","title":"t","judge":"sizing","studentFiles":["S.cs"],"tests":[{"name":"a","points":1}]}""", "id '07-other' must equal the folder name '06-sizing'")]
    [InlineData("""{"id":"06-sizing","title":"t","judge":"sizing","studentFiles":["S.cs"],"tests":[{"name":"a"}]}""", "test 'a'.points: missing")]
    [InlineData("""{"id":"06-sizing","title":"t","judge":"sizing","studentFiles":["../S.cs"],"tests":[{"name":"a","points":1}]}""", "studentFiles: '../S.cs' must be a path inside the exercise folder")]
    [InlineData("""{"id":"06-sizing","title":"t","judge":"sizing","studentFiles":["S.cs"],"tests":[{"name":"a","points":1},{"name":"a","points":2}]}""", "tests: the name 'a' is used twice")]
    [InlineData("""{"id":"06-sizing","title":"t","judge":"sizing","studentFiles":["S.cs"],"tests":[{"name":"h","points":1,"hidden":true,"parameters":{"pcpus":1}}]}""", "a hidden test's variant, parameters and limits belong in hidden/tests.json")]
    [InlineData("""{"id":"06-sizing","title":"t","judge":"sizing","studentFiles":["S.cs"],"limits":{"cpuSeconds":0},"tests":[{"name":"a","points":1}]}""", "limits: cpuSeconds 0 must be positive")]
    [InlineData("""{"id":"06-sizing","title":"t","judge":"sizing","studentFiles":["S.cs"],"tests":[{"name":"a","points":1,"variant":"everyone"}]}""", "variant: 'everyone' is not 'student' or 'class'")]
    [InlineData("""{"id":"06-sizing", "title": """, "line 1: not valid JSON")]
    public void A_malformed_manifest_is_refused_naming_file_and_field(string manifest, string problem)
    {
        string folder = Path.Combine(_scratch.Root, "06-sizing");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Exercise.ManifestFile), manifest);
        var e = Assert.Throws<ExerciseFormatException>(() => Exercise.Load(folder));
        Assert.Contains(Exercise.ManifestFile, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_hidden_test_missing_from_the_hidden_file_is_refused()
    {
        string root = _scratch.Exercises();
        File.WriteAllText(Path.Combine(root, "06-sizing", "hidden", "tests.json"), """{"tests":[{"name":"unseen-host","variant":"class"}]}""");
        var e = Assert.Throws<ExerciseFormatException>(() => Exercise.Load(Path.Combine(root, "06-sizing")));
        Assert.Contains("hidden", e.File);
        Assert.Contains("the hidden test 'strict-slo'", e.Message);
    }

    [Fact]
    public void A_judge_parameter_out_of_range_is_found_before_anyone_is_graded()
    {
        string root = _scratch.Exercises();
        string manifest = Path.Combine(root, "06-sizing", Exercise.ManifestFile);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"pcpus\": 2", "\"pcpus\": 0"));
        var e = Assert.Throws<ExerciseFormatException>(() => new Grader(ExerciseSet.Load(root)));
        Assert.Contains("test 'own-mix': parameters.pcpus: '0' is not a whole number between 1 and 8", e.Message);
    }

    [Fact]
    public void An_unknown_judge_or_group_or_exercise_is_an_instructors_error()
    {
        string root = _scratch.Exercises();
        var set = ExerciseSet.Load(root);
        Assert.Contains("no exercise '09-nothing'", Assert.Throws<ExerciseFormatException>(() => new Grader(set, new GraderOptions { Exercise = "09-nothing" })).Message);
        Assert.Contains("no test is in group 'fairness'", Assert.Throws<ExerciseFormatException>(() => new Grader(set, new GraderOptions { Group = "fairness" })).Message);
        string manifest = Path.Combine(root, "06-sizing", Exercise.ManifestFile);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"judge\": \"sizing\"", "\"judge\": \"scheduler\""));
        Assert.Contains("unknown judge 'scheduler'", Assert.Throws<ExerciseFormatException>(() => new Grader(ExerciseSet.Load(root))).Message);
    }

    [Fact]
    public void Exercises_are_discovered_from_inside_the_repository_and_from_a_student_repository()
    {
        Assert.Equal(GradingScratch.SourceExercises, ExerciseSet.Discover(Path.Combine(GradingScratch.SourceExercises, "06-sizing")));
        Assert.Equal(GradingScratch.SourceExercises, ExerciseSet.Discover(Path.Combine(CliHarness.RepoRoot, "src")));
        // A student repository is a released exercises folder: its root holds the exercise folders.
        string student = _scratch.Exercises(name: "student-repo");
        Assert.Equal(student, ExerciseSet.Discover(Path.Combine(student, "06-sizing")));
    }

    public void Dispose() => _scratch.Dispose();
}
