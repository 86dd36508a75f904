using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using VirtLab.Grading.Running;

namespace VirtLab.Grading.Worker;

/// <summary>
/// Compiles a submission with Roslyn into a library that references the .NET runtime, VirtLab and
/// VirtLab.Grading, with the usings an SDK console project implies and nullable annotations on.
/// Compiling runs none of the student's code (no analyzers, no source generators).
/// </summary>
internal static class StudentCompiler
{
    /// <summary>The name of the compiled submission's assembly.</summary>
    public const string AssemblyName = "StudentSubmission";

    /// <summary>Errors shown at most; the first ones are the ones that matter.</summary>
    private const int MaxDiagnostics = 20;

    /// <summary>What <c>&lt;ImplicitUsings&gt;enable&lt;/ImplicitUsings&gt;</c> gives a console project, so code written in an IDE compiles here too.</summary>
    private const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>The references, loaded once per worker: reading some 170 framework assemblies is much of a compile's cost.</summary>
    private static readonly Lazy<IReadOnlyList<MetadataReference>> SharedReferences = new(() => [.. References()]);

    public static WorkerReply Compile(CompileJob job)
    {
        var (sources, output) = (job.Sources, job.AssemblyPath);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, path: s.Name, encoding: System.Text.Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "ImplicitUsings.g.cs", encoding: System.Text.Encoding.UTF8))
            .ToList();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: false, deterministic: true);
        var compilation = CSharpCompilation.Create(AssemblyName, trees, SharedReferences.Value, options);
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded));
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var shown = errors.Take(MaxDiagnostics).Select(d => d.ToString()).ToList();
        if (errors.Count > MaxDiagnostics) shown.Add($"... and {errors.Count - MaxDiagnostics} more errors");
        if (!result.Success) return new WorkerReply { Kind = WorkerReply.Compiled, Job = job.Id, Ok = false, Diagnostics = shown };
        File.WriteAllBytes(output, pe.ToArray());
        return new WorkerReply { Kind = WorkerReply.Compiled, Job = job.Id, Ok = true };
    }

    /// <summary>Every managed assembly of the shared framework, plus VirtLab and VirtLab.Grading.</summary>
    private static IEnumerable<MetadataReference> References()
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (var path in Directory.EnumerateFiles(framework, "*.dll").Order(StringComparer.Ordinal))
            if (IsManaged(path)) yield return MetadataReference.CreateFromFile(path);
        yield return MetadataReference.CreateFromFile(typeof(VirtLab.Machine.Machine).Assembly.Location);
        yield return MetadataReference.CreateFromFile(typeof(Judging.IExerciseJudge).Assembly.Location);
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
