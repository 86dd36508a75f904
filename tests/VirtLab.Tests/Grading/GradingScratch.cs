using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VirtLab.Grading.Exercises;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Grading;

/// <summary>
/// A scratch folder for grader tests: a copy of the course's exercises (with limits a test can
/// tighten), and submissions written from the bad ones in Submissions/ or from the real solution.
/// </summary>
public sealed class GradingScratch : IDisposable
{
    public const string Exercise = "06-sizing";

    public GradingScratch()
    {
        Root = Path.Combine(Path.GetTempPath(), "virtlab-grading-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The course's exercises folder in the repository.</summary>
    public static string SourceExercises => Path.Combine(CliHarness.RepoRoot, "exercises");

    /// <summary>The solution of exercise 6 as the source version holds it.</summary>
    public static string Solution => File.ReadAllText(Path.Combine(SourceExercises, Exercise, "Sizing.cs"));

    /// <summary>A bad submission from Submissions/, with its <c>@NAME@</c> placeholders filled in.</summary>
    public static string Bad(string name, params (string Name, string Value)[] fill)
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Grading", "Submissions", name + ".cs"));
        foreach (var (key, value) in fill) text = text.Replace($"@{key}@", value.Replace("\\", "\\\\"));
        return text;
    }

    /// <summary>
    /// The source version's <paramref name="file"/> of <paramref name="exercise"/>, solution regions and
    /// all, compiled in this process with the usings a console project implies (as the grader's child does).
    /// </summary>
    public static System.Reflection.Assembly CompileSolution(string exercise, string file)
    {
        string source = File.ReadAllText(Path.Combine(SourceExercises, exercise, file));
        const string usings = "global using System; global using System.Collections.Generic; global using System.Linq;";
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(VirtLab.Machine.Machine).Assembly.Location).Distinct().Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(Path.GetFileNameWithoutExtension(file) + "Solution", [CSharpSyntaxTree.ParseText(source), CSharpSyntaxTree.ParseText(usings)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return System.Reflection.Assembly.Load(image.ToArray());
    }

    /// <summary>
    /// The bad submission <paramref name="name"/> of <paramref name="exercise"/> from a sub-folder of
    /// Submissions/, compiled after the exercise's solution (its class <paramref name="className"/>
    /// renamed <c>Solution</c>): the submission can call the solution where it means to behave well.
    /// </summary>
    public static string WithSolution(string exercise, string file, string className, string name)
    {
        string solution = File.ReadAllText(Path.Combine(SourceExercises, exercise, file)).Replace($"class {className}", "class Solution", StringComparison.Ordinal);
        return solution + "\n" + File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Grading", "Submissions", name + ".cs"));
    }

    /// <summary>
    /// A copy of the exercises (<paramref name="exercise"/>, exercise 6 unless given, with its hidden
    /// tests) under this scratch folder, with the exercise's limits replaced when given. Returns the copy's root.
    /// </summary>
    public string Exercises(ResourceLimits? limits = null, string name = "exercises", string exercise = Exercise)
    {
        string root = Path.Combine(Root, name);
        Copy(Path.Combine(SourceExercises, exercise), Path.Combine(root, exercise));
        if (limits is not null)
        {
            string manifest = Path.Combine(root, exercise, VirtLab.Grading.Exercises.Exercise.ManifestFile);
            var json = JsonNode.Parse(File.ReadAllText(manifest), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
            json["limits"] = new JsonObject { ["cpuSeconds"] = limits.CpuSeconds, ["wallSeconds"] = limits.WallSeconds, ["memoryMiB"] = limits.MemoryMiB };
            File.WriteAllText(manifest, json.ToJsonString());
        }
        return root;
    }

    /// <summary>Writes <paramref name="sizing"/> as <paramref name="student"/>'s Sizing.cs under <paramref name="classFolder"/> (a student repository's layout). Returns the submission's folder.</summary>
    public string Submission(string classFolder, string student, string sizing)
    {
        string folder = Path.Combine(Root, classFolder, student);
        Directory.CreateDirectory(Path.Combine(folder, Exercise));
        File.WriteAllText(Path.Combine(folder, Exercise, "Sizing.cs"), sizing);
        return folder;
    }

    public static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
