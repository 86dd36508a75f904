using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Inspection;
using VirtLab.Grading.Results;
using VirtLab.Grading.Running;
using VirtLab.Grading.Worker;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Exercises 1 to 4 ask for a policy VirtLab already has. A submission that hands the work to
/// VirtLab's own (by name, through a member that hands one out, or by reflection on a name built
/// at run time) is refused in the grader before any of its code runs; the solutions, and the
/// helpers exercise 3 gives, are not.
/// </summary>
public class DelegationTests(ITestOutputHelper output) : IDisposable
{
    private readonly GradingScratch _scratch = new();
    private static readonly ExerciseSet Source = ExerciseSet.Load(GradingScratch.SourceExercises);

    /// <summary>The bytes the grader would inspect: <paramref name="source"/> compiled exactly as the grader's child compiles a submission.</summary>
    private byte[] Compile(string source)
    {
        string path = Path.Combine(_scratch.Root, Guid.NewGuid().ToString("N") + ".dll");
        var reply = StudentCompiler.Compile(new CompileJob("test", [new SourceFile("Submission.cs", source)], path));
        Assert.True(reply.Ok, string.Join("\n", reply.Diagnostics));
        return File.ReadAllBytes(path);
    }

    private string? Refusal(string exercise, string source)
    {
        string? refusal = SubmissionInspection.Refusal(Compile(source), Source.Find(exercise)!.Forbidden!);
        output.WriteLine($"{exercise}: {refusal ?? "(not refused)"}");
        return refusal;
    }

    private static string Delegating(string exercise) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Grading", "Submissions", "delegation", exercise + ".cs"));

    /// <summary>A class around <paramref name="body"/>, with the exercise's namespaces.</summary>
    private static string Around(string body) => $$"""
        using VirtLab.Hypervisor;
        using VirtLab.Memory;
        using VirtLab.Scheduling;
        public static class Attempt
        {
            {{body}}
        }
        """;

    public static TheoryData<string, string, string> Attempts => new()
    {
        // By name.
        { "01-emulate-csr", Delegating("01-emulate-csr"), "uses VirtLab.Hypervisor.BuiltInInstructionEmulator (one of VirtLab's own implementations of IInstructionEmulator)" },
        { "02-scheduler", Delegating("02-scheduler"), "uses VirtLab.Scheduling.CreditScheduler (one of VirtLab's own implementations of IVcpuScheduler)" },
        { "02-scheduler", Around("public static IVcpuScheduler Fair() => new FairShareScheduler();"), "uses VirtLab.Scheduling.FairShareScheduler" },
        { "03-reclamation", Delegating("03-reclamation"), "(one of VirtLab's own implementations of IReclamationPolicy); of that type only SharesPerPage and Revoke may be used" },
        { "04-smt-placement", Delegating("04-smt-placement"), "uses VirtLab.Scheduling.SmtPlacement (a built-in of VirtLab's that the exercise forbids)" },
        { "04-smt-placement", Around("public static ISmtPlacement Packed() => new PackedPlacement();"), "uses VirtLab.Scheduling.PackedPlacement" },
        // Through a member of another VirtLab type that hands one out.
        { "01-emulate-csr", Around("public static IInstructionEmulator Default(VmConfig vm) => vm.InstructionEmulator;"), "uses VirtLab.Hypervisor.VmConfig.InstructionEmulator, which hands out VirtLab's own IInstructionEmulator" },
        { "02-scheduler", Around("public static IVcpuScheduler Of(Host host) => host.Scheduler;"), "uses VirtLab.Hypervisor.Host.Scheduler, which hands out VirtLab's own IVcpuScheduler" },
        { "03-reclamation", Around("public static IReclamationPolicy? Default() => new HostConfig().ReclamationPolicy;"), "uses VirtLab.Hypervisor.HostConfig.ReclamationPolicy, which hands out VirtLab's own IReclamationPolicy" },
        { "04-smt-placement", Around("public static ISmtPlacement Default() => new HostConfig().Placement;"), "uses VirtLab.Hypervisor.HostConfig.Placement, which hands out VirtLab's own ISmtPlacement" },
        // A type with allowed members, used as a type: a framework method could make one.
        { "03-reclamation", Around("public static IReclamationPolicy Lazy() => new Lazy<SharesReclamationPolicy>().Value;"), "uses VirtLab.Memory.SharesReclamationPolicy as a type, not only its allowed members SharesPerPage and Revoke (one of VirtLab's own implementations of IReclamationPolicy)" },
        { "03-reclamation", Around("public static string Name() => typeof(SharesReclamationPolicy).Name;"), "as a type (typeof, a cast, an array), not only its allowed members SharesPerPage and Revoke" },
        { "03-reclamation", Around("public static T Make<T>() where T : new() => new T(); public static IReclamationPolicy Shares() => Make<SharesReclamationPolicy>();"), "uses VirtLab.Memory.SharesReclamationPolicy as a type argument" },
        // Names in strings: the compiler folds the concatenation into one string; nameof is a string too.
        { "02-scheduler", Around("""public static string Name() => "VirtLab.Sched" + "uling.CreditScheduler";"""), "holds the text \"VirtLab.Scheduling.CreditScheduler\", which names VirtLab.Scheduling.CreditScheduler" },
        { "02-scheduler", Around("""public static object? Credit() => Activator.CreateInstance(Type.GetType("VirtLab.Sched" + "uling.CreditScheduler, VirtLab")!);"""), "uses System.Type.GetType: reflection, run-time loading and binding by name could reach VirtLab's own IVcpuScheduler by a name built at run time" },
        { "02-scheduler", Around("""public static object? Make(Type type) => Activator.CreateInstance(type);"""), "uses System.Activator.CreateInstance: reflection" },
        // A name built at run time, which no inspection of strings can see: the ways to use it are refused.
        { "02-scheduler", Around("""public static object Credit() => System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(Type.GetType(string.Concat(new[] { "rel", "udehcStiderC.gn", "iludehcS.baLtriV" }.Reverse().Select(s => new string(s.Reverse().ToArray())).Reverse()) + ", VirtLab")!);"""), "uses System.Type.GetType: reflection" },
        { "02-scheduler", Around("""public static Type? Credit(string name) => typeof(ISchedulable).Assembly.GetType(name);"""), "uses System.Type.Assembly, which deals in System.Reflection.Assembly: reflection" },
        { "02-scheduler", Around("""public static object Scheduler(Host host) => ((dynamic)host).Scheduler;"""), "uses Microsoft.CSharp.RuntimeBinder." },
        { "04-smt-placement", Around("""public static object? Aware(HostConfig c, string name) => System.Linq.Expressions.Expression.Lambda<Func<object>>(System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Constant(c), name)).Compile()();"""), "uses System.Linq.Expressions." },
    };

    [Theory]
    [MemberData(nameof(Attempts))]
    public void A_submission_that_reaches_the_built_in_is_refused_with_a_sentence_naming_what_it_used(string exercise, string source, string why)
    {
        var refusal = Refusal(exercise, source);
        Assert.NotNull(refusal);
        Assert.Contains(why, refusal);
    }

    [Theory]
    [InlineData("01-emulate-csr", "CsrEmulator.cs")]
    [InlineData("02-scheduler", "ProportionalShareScheduler.cs")]
    [InlineData("03-reclamation", "ServiceLevelPolicy.cs")]
    [InlineData("04-smt-placement", "ThreadPlacement.cs")]
    public void The_solutions_use_nothing_forbidden(string exercise, string file) =>
        Assert.Null(Refusal(exercise, File.ReadAllText(Path.Combine(GradingScratch.SourceExercises, exercise, file))));

    [Fact]
    public void Exercise_3s_given_helpers_are_allowed_and_ordinary_code_is_not_refused()
    {
        // The two helpers the README gives, and nothing else of the shares policy.
        Assert.Null(Refusal("03-reclamation", Around("""
            public static int[] Split(IReadOnlyList<IReclaimableVm> vms, int pages) => SharesReclamationPolicy.Revoke(vms, pages, new int[vms.Count]);
            public static IReclaimableVm Victim(IReadOnlyList<IReclaimableVm> vms) => vms.MinBy(v => SharesReclamationPolicy.SharesPerPage(v, v.MappedPages))!;
            """)));
        // What compiles to references near the refused ones: an indexer (DefaultMemberAttribute, in
        // System.Reflection), a record (typeof for its equality), object.GetType, new T()
        // (Activator.CreateInstance<T>), lambdas and LINQ.
        Assert.Null(Refusal("02-scheduler", """
            using VirtLab.Scheduling;
            public sealed record Share(int Weight) { public double this[int i] => Weight * i; }
            public static class Ordinary
            {
                public static string Kind(ISchedulable e) => e.GetType().Name;
                public static double Sum(IEnumerable<Share> s) => s.Select(x => x[2]).Where(x => x > 0).Sum();
                public static T Make<T>() where T : new() => new T();
                public static List<int> List() => Make<List<int>>();
            }
            """));
    }

    [Fact]
    public void Only_exercises_1_to_4_forbid_anything()
    {
        Assert.Equal(["01-emulate-csr", "02-scheduler", "03-reclamation", "04-smt-placement"],
            Source.Exercises.Where(e => e.Forbidden is not null).Select(e => e.Id));
        Assert.Contains("VirtLab.Scheduling.FairShareScheduler", Source.Find("02-scheduler")!.Forbidden!.BuiltIns.Keys);
        Assert.Contains("VirtLab.Scheduling.SameVmSiblingsPlacement", Source.Find("04-smt-placement")!.Forbidden!.BuiltIns.Keys);
    }

    [Theory]
    [InlineData("""{ "implementationsOf": ["VirtLab.Scheduling.CreditScheduler"] }""", "forbidden.implementationsOf: 'VirtLab.Scheduling.CreditScheduler' is not an interface of VirtLab")]
    [InlineData("""{ "types": ["VirtLab.Scheduling.CreditSchedular"] }""", "forbidden.types: 'VirtLab.Scheduling.CreditSchedular' is not a type of VirtLab")]
    [InlineData("""{ "types": ["VirtLab.Scheduling.CreditScheduler"], "allowed": ["VirtLab.Scheduling.CreditScheduler.Nothing"] }""", "forbidden.allowed: 'VirtLab.Scheduling.CreditScheduler.Nothing' is not a member of a forbidden type")]
    [InlineData("""{ "implementationOf": [] }""", "forbidden.implementationOf: unknown field")]
    public void A_mistake_in_the_forbidden_field_is_the_instructors_and_names_the_field(string forbidden, string message)
    {
        string exercises = _scratch.Exercises(exercise: "02-scheduler");
        string manifest = Path.Combine(exercises, "02-scheduler", Exercise.ManifestFile);
        string text = File.ReadAllText(manifest);
        int start = text.IndexOf("\"forbidden\":", StringComparison.Ordinal), end = text.IndexOf("\"tests\":", StringComparison.Ordinal);
        File.WriteAllText(manifest, text[..start] + $"\"forbidden\": {forbidden},\n  " + text[end..]);
        var e = Assert.Throws<ExerciseFormatException>(() => ExerciseSet.Load(exercises));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Delegating_submissions_score_0_on_every_test_hidden_ones_included_with_a_message_that_names_the_type()
    {
        string folder = Path.Combine(_scratch.Root, "class", "mallory");
        var files = new Dictionary<string, string>
        {
            ["01-emulate-csr"] = "CsrEmulator.cs", ["02-scheduler"] = "ProportionalShareScheduler.cs",
            ["03-reclamation"] = "ServiceLevelPolicy.cs", ["04-smt-placement"] = "ThreadPlacement.cs",
        };
        foreach (var (exercise, file) in files)
        {
            Directory.CreateDirectory(Path.Combine(folder, exercise));
            File.WriteAllText(Path.Combine(folder, exercise, file), Delegating(exercise));
        }
        var result = new Grader(Source).Grade(folder, "mallory");
        foreach (var t in result.AllTests()) output.WriteLine($"{t.Exercise} {t.Test}: {t.Status} {t.Points}/{t.MaxPoints}: {t.Message}");

        var refused = result.Exercises.Where(e => files.ContainsKey(e.Exercise)).ToList();
        Assert.Equal(4, refused.Count);
        Assert.All(refused.SelectMany(e => e.Tests), t =>
        {
            Assert.Equal(TestStatus.Refused, t.Status);
            Assert.Equal(0, t.Points);
            Assert.StartsWith("refused before running: the code uses VirtLab.", t.Message);
            // The refusal is about the code, the same on every test: nothing of a hidden test is in it.
            Assert.Equal(refused.Single(e => e.Exercise == t.Exercise).Tests[0].Message, t.Message);
        });
        Assert.Contains(refused.SelectMany(e => e.Tests), t => t.Hidden);
        Assert.Contains("CreditScheduler", refused.Single(e => e.Exercise == "02-scheduler").Tests[0].Message);
        Assert.Equal(0, refused.Sum(e => e.Points));
        // Nothing of the student's ran: no test took any time in a child.
        Assert.All(refused.SelectMany(e => e.Tests), t => Assert.Equal(0, t.CpuSeconds));
    }

    [Fact]
    public void The_child_loads_the_bytes_the_grader_inspected_not_the_file_the_students_code_can_overwrite()
    {
        const string id = "02-scheduler";
        string folder = Path.Combine(_scratch.Root, "class", "mallory", id);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ProportionalShareScheduler.cs"),
            GradingScratch.WithSolution(id, "ProportionalShareScheduler.cs", "ProportionalShareScheduler", "scheduler/overwrites-its-compiled-file"));
        string scratch = Path.Combine(_scratch.Root, "kept");
        var result = new Grader(Source, new GraderOptions { Exercise = id, Group = "visible", ScratchDirectory = scratch, KeepScratch = true }).Grade(folder, "mallory");
        var tests = result.AllTests().ToList();
        foreach (var t in tests) output.WriteLine($"{t.Test}: {t.Status} {t.Points}/{t.MaxPoints}: {t.Message}");

        Assert.Equal("whatever the student likes, unchecked", File.ReadAllText(Directory.EnumerateFiles(scratch, "student.dll", SearchOption.AllDirectories).Single()));
        Assert.Equal(TestStatus.Crashed, tests[0].Status);
        Assert.Contains("exit code 3", tests[0].Message);
        // The fresh children ran the inspected submission (the solution), not the file.
        Assert.All(tests.Skip(1), t => Assert.Equal(TestStatus.Passed, t.Status));
    }

    public void Dispose() => _scratch.Dispose();
}
