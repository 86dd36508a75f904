using System.Text.Json.Nodes;
using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Results;
using Xunit.Abstractions;

namespace VirtLab.Tests.Grading;

/// <summary>
/// Bad emulators for exercise 1, graded as one class with tight limits (3 s of CPU a test): each
/// is the solution with one method replaced, so each loses exactly the tests whose guests need it.
/// </summary>
public sealed class CsrEmulationClass : IDisposable
{
    public static readonly ResourceLimits Limits = new(CpuSeconds: 3, WallSeconds: 300, MemoryMiB: 256);
    private readonly GradingScratch _scratch = new();

    /// <summary>The solution with <paramref name="method"/>'s body replaced by <paramref name="body"/>.</summary>
    private static string With(string method, string body)
    {
        string solution = File.ReadAllText(Path.Combine(GradingScratch.SourceExercises, CsrEmulationExerciseTests.Exercise, "CsrEmulator.cs"));
        int start = solution.IndexOf("// BEGIN SOLUTION", solution.IndexOf($" {method}(", StringComparison.Ordinal), StringComparison.Ordinal);
        int end = solution.IndexOf("// END SOLUTION", start, StringComparison.Ordinal) + "// END SOLUTION".Length;
        return solution[..start] + body + solution[end..];
    }

    public static readonly Dictionary<string, string> Submissions = new()
    {
        ["good"] = With("EmulateWfi", "if ((guest.PendingInterrupts & guest.Csrs.Mie) == 0) guest.WaitForInterrupt();"),
        // Sleeps whatever is pending: legal for hardware, but not what the reference hypervisor does.
        ["wfi-never-waits"] = With("EmulateWfi", "{ }"),
        ["wfi-hangs"] = With("EmulateWfi", "while (true) { }"),
        ["mret-exits"] = With("EmulateMret", "Environment.Exit(0);"),
        ["delegates"] = With("EmulateMret", "BuiltInInstructionEmulator.Instance.EmulateMret(guest);"),
        // Keeps mscratch for the whole VM, not per vCPU: right with one vCPU, wrong with two.
        ["shared-mscratch"] = With("EmulateCsr", """
            if (instruction.Csr == 0x340)
            {
                uint old = _scratch, source = instruction.IsImmediate ? (uint)instruction.Rs1 : guest[instruction.Rs1];
                if (instruction.Operation == CsrOperation.ReadWrite || instruction.Rs1 != 0)
                    _scratch = instruction.Operation switch { CsrOperation.ReadWrite => source, CsrOperation.ReadSet => old | source, _ => old & ~source };
                guest.Csrs.MScratch = _scratch;
                guest[instruction.Rd] = old;
                return true;
            }
            uint s = instruction.IsImmediate ? (uint)instruction.Rs1 : guest[instruction.Rs1];
            if (!guest.TryReadCsr(instruction.Csr, out uint o)) return false;
            if ((instruction.Operation == CsrOperation.ReadWrite || instruction.Rs1 != 0)
                && !guest.TryWriteCsr(instruction.Csr, instruction.NewValue(o, s))) return false;
            guest[instruction.Rd] = o;
            return true;
            """).Replace("public sealed class CsrEmulator : IInstructionEmulator\n{", "public sealed class CsrEmulator : IInstructionEmulator\n{\n    private static uint _scratch;"),
    };

    public CsrEmulationClass()
    {
        string exercises = Path.Combine(_scratch.Root, "exercises");
        string id = CsrEmulationExerciseTests.Exercise;
        GradingScratch.Copy(Path.Combine(GradingScratch.SourceExercises, id), Path.Combine(exercises, id));
        string manifest = Path.Combine(exercises, id, Exercise.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(manifest), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        json["limits"] = new JsonObject { ["cpuSeconds"] = Limits.CpuSeconds, ["wallSeconds"] = Limits.WallSeconds, ["memoryMiB"] = Limits.MemoryMiB };
        File.WriteAllText(manifest, json.ToJsonString());
        foreach (var (student, source) in Submissions)
        {
            string folder = Path.Combine(_scratch.Root, "class", student, id);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "CsrEmulator.cs"), source);
        }
        Result = new Grader(ExerciseSet.Load(exercises), new GraderOptions { Parallelism = 2 }).GradeClass(Path.Combine(_scratch.Root, "class"));
    }

    public ClassResult Result { get; }

    public SubmissionResult Of(string student) => Result.Submissions.Single(s => s.Student == student);

    public void Dispose() => _scratch.Dispose();
}

public class CsrEmulationFailureTests(CsrEmulationClass graded, ITestOutputHelper output) : IClassFixture<CsrEmulationClass>
{
    private TestResult Test(string student, string test)
    {
        foreach (var t in graded.Of(student).AllTests()) output.WriteLine($"{student} {t.Test}: {t.Status} {t.Points}: {t.Message} ({t.CpuSeconds} s CPU, {t.WallSeconds} s)");
        return graded.Of(student).AllTests().Single(t => t.Test == test);
    }

    [Theory]
    [InlineData("good", 10)]
    [InlineData("wfi-never-waits", 8)]      // timer-and-wfi counts its trips round the wfi loop; two-vcpus ends the same either way
    [InlineData("wfi-hangs", 7)]            // both guests that execute a wfi
    [InlineData("mret-exits", 4)]           // csr-instructions and two-vcpus never execute an mret
    [InlineData("delegates", 0)]
    [InlineData("shared-mscratch", 9)]      // two-vcpus only
    public void Each_bad_emulator_loses_only_the_tests_that_need_what_it_gets_wrong(string student, double points)
    {
        var result = graded.Of(student);
        foreach (var t in result.AllTests()) output.WriteLine($"{t.Test}: {t.Status} {t.Points}: {t.Message} ({t.CpuSeconds} s CPU, {t.WallSeconds} s)");
        Assert.Equal(points, result.Points);
    }

    [Fact]
    public void Failures_say_what_happened()
    {
        Assert.Equal(TestStatus.TimeLimit, Test("wfi-hangs", "timer-and-wfi").Status);
        Assert.Equal(TestStatus.Passed, Test("wfi-hangs", "trap-and-return").Status);
        var exited = Test("mret-exits", "illegal-csr");
        Assert.Equal(TestStatus.Crashed, exited.Status);
        Assert.Contains("ended the process (exit code 0)", exited.Message);
        var delegated = Test("delegates", "csr-instructions");
        Assert.Equal(TestStatus.Refused, delegated.Status);
        Assert.Contains("uses VirtLab.Hypervisor.BuiltInInstructionEmulator", delegated.Message);
        Assert.Equal(TestStatus.Wrong, Test("wfi-never-waits", "timer-and-wfi").Status);
        Assert.Equal("wrong answer", Test("shared-mscratch", "two-vcpus").Message);
    }
}
