using System.Collections.Concurrent;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Guest;
using VirtLab.Programs;

namespace VirtLab.Grading.BalloonRoutine;

/// <summary>
/// Judges exercise 5 (the balloon driver's inflate routine, in RISC-V assembly). The student's
/// <c>balloon_inflate.s</c> replaces the guest kernel's routine (<see cref="GuestKernel.Assemble"/>);
/// each test boots a guest under memory pressure (<see cref="BalloonProblem"/>) and checks that the
/// balloon reaches the size the kernel's own driver reaches, that the guest's books stay right (no
/// page both free and ballooned, every ballooned page one the host holds, none touched after it was
/// given away), and that a deflate afterwards gives everything back while the guest works on.
/// <para>
/// <b>Where the student's code runs.</b> Assembly is data to the grader: the child only hands over
/// the file (it travels in the compiled submission as a resource), and the grader assembles it and
/// runs it in guests it emulates itself. There the routine can loop, store anywhere in guest memory
/// or jump into the weeds, and all it can hurt is that guest: each run lasts a fixed simulated time.
/// The score comes from what the grader sees of its own runs, so there is no answer to forge.
/// </para>
/// <para>Test parameters: <c>workload</c> (<c>phases</c> or <c>wset</c>), <c>vcpus</c> (1), <c>memoryPages</c>
/// (256), <c>usedMin</c>/<c>usedMax</c> (60/120: the range the workload's pages are drawn from),
/// <c>targetMin</c>/<c>targetMax</c> (40/100: the range of the balloon target), <c>holdMs</c> (4).</para>
/// <para>Points: none unless the balloon reaches the reference's size with the guest running; then 1/4
/// of them, 3/4 if the guest's books also stay right at every look, all with a working deflate.</para>
/// </summary>
public sealed class BalloonRoutineJudge : ExerciseJudge<BalloonProblem, InflateRoutine>
{
    /// <summary>The file the student edits, and the name assembly errors are reported under.</summary>
    public const string FileName = "balloon_inflate.s";

    /// <summary>The routine the exercise replaces.</summary>
    public const string Routine = "balloon_inflate";

    /// <summary>The shipped kernel's runs, by problem: a class shares the hidden problems.</summary>
    private readonly ConcurrentDictionary<BalloonProblem, Lazy<BalloonRun.Stages>> _reference = new();

    public override string Name => "balloon-routine";

    protected override BalloonProblem CreateQuestion(TestParameters p, int seed)
    {
        var random = new Random(seed);
        string workload = p.Text("workload", "phases");
        int memory = p.Int("memoryPages", 256, 128, 4096);
        int vcpus = p.Int("vcpus", 1, 1, GuestKernel.MaxHarts);
        int Drawn(string name, int low, int high)
        {
            int a = p.Int(name + "Min", low, 1, memory), b = p.Int(name + "Max", Math.Max(a, high), a, memory);
            return random.Next(a, b + 1);
        }
        int used = Drawn("used", 60, 120), target = Drawn("target", 40, 100);
        string text = workload switch
        {
            // Walks `used` pages for 3 ticks, frees them and idles 3: the freed pages are what the balloon can take.
            "phases" => $"phases:pages={used},ticks=3,delay=0,idle=3",
            // Touches `used` pages once and frees them, then keeps a working set of a third of them.
            "wset" => $"wset:pages={Math.Max(1, used / 3)},touch={used},delay=0",
            _ => throw p.Bad("workload", $"'{workload}' is not 'phases' or 'wset'"),
        };
        return new BalloonProblem
        {
            Workload = text, Vcpus = vcpus, MemoryPages = memory, WarmupMilliseconds = 9.5, TargetPages = target,
            InflateMilliseconds = 1 + Math.Ceiling(target / 256.0) + 1, HoldMilliseconds = p.Number("holdMs", 4, 1, 50),
            DeflateMilliseconds = 1 + Math.Ceiling(target / 256.0) + 2, Seed = seed,
        };
    }

    protected override InflateRoutine Ask(System.Reflection.Assembly student, BalloonProblem question)
    {
        using var stream = student.GetManifestResourceStream(FileName)
            ?? throw new StudentContractException($"the submission has no {FileName}");
        using var reader = new StreamReader(stream);
        return new InflateRoutine(reader.ReadToEnd());
    }

    protected override Verdict Judge(BalloonProblem q, InflateRoutine answer)
    {
        var built = GuestKernel.Assemble(new RoutineReplacement(Routine, answer.Source ?? "", FileName));
        if (built.Program is not { } kernel)
        {
            var errors = built.Diagnostics.Take(5).Select(d => d.ToString()).ToList();
            if (built.Diagnostics.Count > errors.Count) errors.Add($"... and {built.Diagnostics.Count - errors.Count} more");
            return Verdict.Wrong($"{FileName} does not assemble into the kernel: {string.Join("; ", errors)}");
        }
        var expected = Reference(q);
        var run = BalloonRun.Run(q, kernel);

        var looks = new[] { ("after the inflate", run.Inflated), ("while it was held", run.Held), ("after the deflate", run.Deflated) };
        if (looks.FirstOrDefault(l => l.Item2.StopReason is not null) is ({ } moment, { } stopped))
            return Verdict.Wrong($"the guest stopped ({moment}): {stopped.StopReason}");
        if (run.Inflated.Ballooned != expected.Inflated.Ballooned)
            return Verdict.Wrong($"the balloon holds {run.Inflated.Ballooned} pages after the inflate; the kernel's own driver reaches {expected.Inflated.Ballooned} (target {q.TargetPages})");

        var problems = new List<string>();
        foreach (var (when, look) in looks)
        {
            if (look.Inconsistency is { } wrong) problems.Add($"{when}: {wrong}");
            else if (look.Rejected > 0) problems.Add($"{when}: the device refused {look.Rejected} page numbers (not the guest's RAM, or given twice)");
            else if (look.Touches > 0) problems.Add($"{when}: the guest touched pages it had given to the host, {look.Touches} times");
            if (problems.Count > 0) break;
        }
        bool deflated = run.Deflated.Ballooned == 0 && run.Deflated.ReportedActual == 0
            && (run.Deflated.Progress > run.Held.Progress || expected.Deflated.Progress == expected.Held.Progress);
        string reached = $"the balloon reached {run.Inflated.Ballooned} pages (target {q.TargetPages})";
        string deflate = deflated ? "the deflate gave every page back and the guest worked on"
            : $"after the deflate the host still holds {run.Deflated.Ballooned} ballooned pages (ACTUAL {run.Deflated.ReportedActual}) and the workload did {run.Deflated.Progress - run.Held.Progress} operations";
        if (problems.Count > 0) return Verdict.Partly(0.25, $"{reached}, but {problems[0]}");
        if (!deflated) return Verdict.Partly(0.75, $"{reached} and the guest's books are right, but {deflate}");
        return Verdict.Correct($"{reached}, the guest's books are right at every look, and {deflate}");
    }

    protected override string Expected(BalloonProblem q)
    {
        var r = Reference(q);
        return $"{r.Inflated.Ballooned} pages after the inflate, {r.Held.Ballooned} after the hold, {r.Deflated.Ballooned} after the deflate";
    }

    protected override string Describe(BalloonProblem q) => q.ToString();

    private BalloonRun.Stages Reference(BalloonProblem q) =>
        _reference.GetOrAdd(q, problem => new Lazy<BalloonRun.Stages>(() => BalloonRun.Run(problem, GuestKernel.Image))).Value;
}
