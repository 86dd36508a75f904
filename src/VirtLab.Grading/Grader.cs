using static System.FormattableString;
using System.Diagnostics;
using System.Text.Json.Nodes;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Results;
using VirtLab.Grading.Running;

namespace VirtLab.Grading;

/// <summary>
/// Grades submissions against a course's exercises (<c>virtlab grade</c>).
/// <para>
/// <b>How a score comes about.</b> For each exercise the grader reads the student's files (only those
/// the trusted manifest names), has a child process compile them with Roslyn, reads the compiled
/// code's metadata for anything the exercise forbids (<see cref="Inspection.SubmissionInspection"/>:
/// VirtLab's own implementation of the policy the student is to write), then hands those same bytes
/// to a child process that asks the compiled code each test's question, one after another, under that test's limits
/// of CPU time, clock time and memory. A child holds questions only; it returns what the student's
/// code answered. The grader, in this process, judges each answer by recomputing what it needs from
/// the question (the judge runs the simulator itself) and alone turns verdicts into points.
/// Expected values exist only here, in memory, and are never written anywhere a child could read.
/// </para>
/// <para>
/// <b>Failures cost one test.</b> When the student's code hangs, crashes, overflows the stack,
/// exhausts memory or exits, the grader ends the child if needed, gives that test no points with a
/// message saying why, and runs the remaining tests in a fresh child.
/// </para>
/// </summary>
public sealed class Grader
{
    private readonly GraderOptions _options;

    /// <summary>
    /// A grader for <paramref name="exercises"/>. Checks at once that the options name existing
    /// exercises and groups, that every exercise's judge exists, and that every test's parameters
    /// make a question: an instructor's mistake is reported before any student is graded
    /// (<see cref="ExerciseFormatException"/>).
    /// </summary>
    public Grader(ExerciseSet exercises, GraderOptions? options = null)
    {
        _options = options ?? new GraderOptions();
        if (_options.Parallelism < 1) throw new ArgumentOutOfRangeException(nameof(options), "parallelism must be at least 1");
        Selected = _options.Exercise is null ? exercises.Exercises
            : exercises.Find(_options.Exercise) is { } one ? [one]
            : throw new ExerciseFormatException(exercises.Root, $"no exercise '{_options.Exercise}' (known: {string.Join(", ", exercises.Exercises.Select(e => e.Id))})");
        if (_options.Group is { } group && !Selected.Any(e => e.Tests.Any(t => t.Group == group)))
            throw new ExerciseFormatException(exercises.Root, $"no test is in group '{group}' (groups: {string.Join(", ", Selected.SelectMany(e => e.Tests).Select(t => t.Group).Distinct())})");
        foreach (var exercise in Selected)
        {
            var judge = JudgeOf(exercise);
            foreach (var test in exercise.Tests.Where(t => t.Available))
                judge.CheckParameters(test);
        }
    }

    /// <summary>The exercises this grader grades (all, or the one <see cref="GraderOptions.Exercise"/> names).</summary>
    public IReadOnlyList<Exercise> Selected { get; }

    /// <summary>Grades the submission in <paramref name="directory"/> for <paramref name="student"/>'s variant.</summary>
    public SubmissionResult Grade(string directory, string student)
    {
        var clock = Stopwatch.StartNew();
        directory = Path.GetFullPath(directory);
        string scratch = CreateScratch();
        try
        {
            var work = Prepare(directory, student, scratch);
            CompileAll(work);
            return Finish(directory, student, work, clock);
        }
        finally { DeleteScratch(scratch); }
    }

    /// <summary>
    /// Grades every sub-folder of <paramref name="classDirectory"/> as one student's submission (the
    /// folder name is the student id). All submissions are compiled first, a few children each
    /// compiling many (compiling runs no student code, and Roslyn's start-up is most of a compile's
    /// cost); then each submission's tests run in children of its own, <see cref="GraderOptions.Parallelism"/>
    /// submissions at a time. <paramref name="graded"/> hears of each submission as it finishes (from
    /// any thread). One broken submission does not stop the rest.
    /// </summary>
    public ClassResult GradeClass(string classDirectory, Action<SubmissionResult>? graded = null)
    {
        var clock = Stopwatch.StartNew();
        var students = Submission.Students(Path.GetFullPath(classDirectory));
        var results = new SubmissionResult[students.Count];
        string scratch = CreateScratch();
        try
        {
            var work = students.Select((folder, i) => Prepare(folder, Path.GetFileName(folder), Path.Combine(scratch, i.ToString("D3")))).ToList();
            CompileAll([.. work.SelectMany(w => w)]);
            Parallel.For(0, students.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, i =>
            {
                var submissionClock = Stopwatch.StartNew();
                results[i] = Finish(students[i], Path.GetFileName(students[i]), work[i], submissionClock);
                if (!_options.KeepScratch) TryDelete(Path.Combine(scratch, i.ToString("D3")));
                graded?.Invoke(results[i]);
            });
        }
        finally { DeleteScratch(scratch); }
        return new ClassResult(results, Math.Round(clock.Elapsed.TotalSeconds, 3), _options.Parallelism);
    }

    /// <summary>The questions and expected answers of every test that can run here, for <paramref name="student"/>'s variant.</summary>
    public IReadOnlyList<AnswerKeyEntry> AnswerKey(string student)
    {
        var key = new List<AnswerKeyEntry>();
        foreach (var exercise in Selected)
        {
            var judge = JudgeOf(exercise);
            foreach (var test in TestsOf(exercise).Where(t => t.Available))
            {
                var question = judge.CreateQuestion(test, Variant.Seed(exercise.Id, test, student));
                string expected;
                try { expected = judge.ExpectedAnswer(question); }
                catch (Exception e) when (e is not OutOfMemoryException) { expected = $"grader error: {e.GetType().Name}: {e.Message}"; }
                key.Add(new AnswerKeyEntry(Variant.Normalize(student), exercise.Id, test.Name, test.Hidden, test.Points, judge.DescribeQuestion(question), expected));
            }
        }
        return key;
    }

    /// <summary>One exercise of one submission on its way through the grader.</summary>
    private sealed class Work(Exercise exercise, string student, string scratch)
    {
        private static int _ids;
        public string Id { get; } = Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);
        public Exercise Exercise { get; } = exercise;
        public string Student { get; } = student;
        public string Scratch { get; } = scratch;
        public string Assembly => Path.Combine(Scratch, "student.dll");
        /// <summary>The compiled submission as the grader read and inspected it: the bytes every child loads.</summary>
        public byte[] Image { get; set; } = [];
        public List<SourceFile> Sources { get; } = [];
        /// <summary>The result, once known without running a test (not submitted, does not compile).</summary>
        public ExerciseResult? Settled { get; set; }
    }

    /// <summary>Reads the student's files of each exercise of the submission; settles those that are missing.</summary>
    private List<Work> Prepare(string directory, string student, string scratch)
    {
        var work = new List<Work>();
        foreach (var exercise in Submission.ExercisesOf(directory, Selected))
        {
            var w = new Work(exercise, student, Path.Combine(scratch, exercise.Id));
            work.Add(w);
            Directory.CreateDirectory(w.Scratch);
            string? folder = Submission.ExerciseFolder(directory, exercise);
            if (folder is null)
            {
                w.Settled = Everything(exercise, student, TestStatus.NotSubmitted, $"the submission has no folder {exercise.Id} with {string.Join(", ", exercise.StudentFiles)}");
                continue;
            }
            foreach (var file in exercise.StudentFiles)
            {
                var path = Path.Combine(folder, file);
                string? problem = !File.Exists(path) ? $"{file} is missing from the submission"
                    : new FileInfo(path).Length > Submission.MaxFileBytes ? $"{file} is larger than {Submission.MaxFileBytes >> 20} MiB"
                    : null;
                if (problem is null)
                {
                    try { w.Sources.Add(new SourceFile(file, File.ReadAllText(path))); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problem = $"{file} cannot be read: {e.Message}"; }
                }
                if (problem is not null)
                {
                    w.Settled = Everything(exercise, student, TestStatus.NotSubmitted, problem);
                    break;
                }
            }
        }
        return work;
    }

    /// <summary>
    /// Compiles every unsettled piece of work, <see cref="GraderOptions.Parallelism"/> children at
    /// most, each compiling its share in turn; a child that passes the compile limits is ended and
    /// its remaining share goes to a fresh one.
    /// </summary>
    private void CompileAll(List<Work> work)
    {
        var pending = work.Where(w => w.Settled is null).ToList();
        int children = Math.Min(_options.Parallelism, pending.Count);
        var shares = Enumerable.Range(0, children).Select(c => pending.Where((_, i) => i % children == c).ToList()).ToList();
        Parallel.ForEach(shares, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, share =>
        {
            var limits = ResourceLimits.Compile;
            while (share.Count > 0)
            {
                var request = new WorkerRequest
                {
                    Kind = WorkerRequest.Compile,
                    Compilations = [.. share.Select(w => new CompileJob(w.Id, w.Sources, w.Assembly))],
                };
                using var child = WorkerProcess.Start(request, limits.MemoryMiB, share[0].Scratch);
                int done = 0;
                foreach (var w in share)
                {
                    var wait = child.WaitFor(r => r.Kind == WorkerReply.Compiled && r.Job == w.Id, limits);
                    done++;
                    if (wait.Ending != ChildEnding.Replied)
                    {
                        w.Settled = Everything(w.Exercise, w.Student, TestStatus.CompileError, $"compiling stopped: {Describe(wait, limits, hidden: false)}");
                        break;
                    }
                    var reply = wait.Reply!;
                    if (!reply.Ok || !File.Exists(w.Assembly))
                        w.Settled = Everything(w.Exercise, w.Student, TestStatus.CompileError, $"does not compile: {reply.Diagnostics.FirstOrDefault() ?? "no assembly was written"}")
                            with { CompileErrors = reply.Diagnostics };
                    else Inspect(w);
                }
                share.RemoveRange(0, done);
            }
        });
    }

    /// <summary>
    /// Reads the compiled submission into memory (compiling ran no student code, so the file is as
    /// the compiler wrote it) and refuses it, every test at 0 points, if it uses what its exercise
    /// forbids. The children then load these bytes, never the file.
    /// </summary>
    private void Inspect(Work w)
    {
        try { w.Image = File.ReadAllBytes(w.Assembly); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            w.Settled = Everything(w.Exercise, w.Student, TestStatus.GraderError, $"the compiled submission cannot be read: {e.Message}");
            return;
        }
        if (w.Exercise.Forbidden is { } rule && Inspection.SubmissionInspection.Refusal(w.Image, rule) is { } refusal)
            w.Settled = Everything(w.Exercise, w.Student, TestStatus.Refused, $"refused before running: {refusal}");
    }

    /// <summary>Runs the tests of every compiled exercise of one submission and collects the results.</summary>
    private SubmissionResult Finish(string directory, string student, List<Work> work, Stopwatch clock)
    {
        var results = new List<ExerciseResult>();
        foreach (var w in work)
        {
            try
            {
                results.Add(w.Settled ?? RunTests(w));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Never the student's doing (their code runs elsewhere), but one broken grading must not stop a class.
                results.Add(Everything(w.Exercise, student, TestStatus.GraderError, $"the grader failed: {e.GetType().Name}: {e.Message}"));
            }
        }
        return new SubmissionResult(Variant.Normalize(student), directory, results, Math.Round(clock.Elapsed.TotalSeconds, 3));
    }

    private IEnumerable<ExerciseTest> TestsOf(Exercise exercise) =>
        exercise.Tests.Where(t => _options.Group is null || t.Group == _options.Group);

    private ExerciseResult RunTests(Work work)
    {
        var (exercise, student) = (work.Exercise, work.Student);
        var judge = JudgeOf(exercise);
        var tests = TestsOf(exercise).ToList();
        var results = new TestResult?[tests.Count];
        var pending = new List<(int Index, JsonNode Question)>();
        for (int i = 0; i < tests.Count; i++)
        {
            if (!tests[i].Available) results[i] = NotRun(exercise, tests[i]);
            else pending.Add((i, judge.CreateQuestion(tests[i], Variant.Seed(exercise.Id, tests[i], student))));
        }
        string runDirectory = Path.Combine(work.Scratch, "run");
        Directory.CreateDirectory(runDirectory);
        while (pending.Count > 0)
        {
            // One child answers tests in order until one fails; the rest go to a fresh child. Tests
            // in one child share its heap limit, so a batch holds tests with the same memory limit.
            int memory = tests[pending[0].Index].Limits.MemoryMiB;
            var batch = pending.TakeWhile(p => tests[p.Index].Limits.MemoryMiB == memory).ToList();
            var request = new WorkerRequest
            {
                Kind = WorkerRequest.Ask, Judge = judge.Name, Assembly = work.Image,
                Tests = [.. batch.Select(p => new TestQuestion(tests[p.Index].Name, p.Question))],
            };
            using var child = WorkerProcess.Start(request, memory, runDirectory);
            var ready = child.WaitFor(r => r.Kind == WorkerReply.Ready, ResourceLimits.Startup);
            if (ready.Ending != ChildEnding.Replied)
            {
                foreach (var (index, _) in pending)
                    results[index] = Result(exercise, tests[index], TestStatus.GraderError, 0, $"the grading worker did not start ({ready.Ending}: {ready.Detail})");
                break;
            }
            // Replies first, judging after: each test's limits are measured from the previous reply,
            // with no time of the grader's own in between.
            var answered = new List<(int Index, JsonNode Question, WorkerWait Wait)>();
            foreach (var (index, question) in batch)
            {
                var test = tests[index];
                var wait = child.WaitFor(r => r.Kind == WorkerReply.Answered && r.Test == test.Name, test.Limits);
                answered.Add((index, question, wait));
                if (wait.Ending != ChildEnding.Replied) break;
            }
            child.Dispose();
            foreach (var (index, question, wait) in answered)
                results[index] = wait.Ending == ChildEnding.Replied
                    ? Judge(exercise, tests[index], judge, question, wait)
                    : Failure(exercise, tests[index], wait);
            pending.RemoveRange(0, answered.Count);
        }
        return new ExerciseResult(exercise.Id, exercise.Title, [.. results.Select(r => r!)], [], Variant.Normalize(student));
    }

    private static TestResult Judge(Exercise exercise, ExerciseTest test, IExerciseJudge judge, JsonNode question, WorkerWait wait)
    {
        var reply = wait.Reply!;
        string output = test.Hidden ? "" : reply.Output;
        TestResult With(TestStatus status, double points, string message) =>
            Result(exercise, test, status, points, message) with { CpuSeconds = Math.Round(wait.CpuSeconds, 3), WallSeconds = Math.Round(wait.WallSeconds, 3), Output = output };

        if (reply.Error is { } error)
        {
            if (error.Contract) return With(TestStatus.Missing, 0, error.Message);
            string where = error.Where is null ? "" : $" (at {error.Where})";
            if (error.Type == typeof(OutOfMemoryException).FullName)
                return With(TestStatus.MemoryLimit, 0, $"the student's code ran out of memory: its limit is {test.Limits.MemoryMiB} MiB{where}");
            return With(TestStatus.Threw, 0, test.Hidden ? $"the student's code threw {error.Type}{where}" : $"the student's code threw {error.Type}: {error.Message}{where}");
        }
        Verdict verdict;
        try { verdict = judge.Judge(question, reply.Answer); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return With(TestStatus.GraderError, 0, $"the judge failed: {e.GetType().Name}: {e.Message}");
        }
        double points = Math.Round(verdict.Fraction * test.Points, 2);
        var status = verdict.Fraction >= 1 ? TestStatus.Passed : verdict.Fraction > 0 ? TestStatus.Partial : TestStatus.Wrong;
        // A hidden test's feedback may name its expected value: only the kind of outcome is shown.
        string message = !test.Hidden ? verdict.Feedback
            : status switch { TestStatus.Passed => "correct", TestStatus.Partial => "partly correct", _ => "wrong answer" };
        return With(status, points, message);
    }

    private static TestResult Failure(Exercise exercise, ExerciseTest test, WorkerWait wait)
    {
        var status = wait.Ending switch
        {
            ChildEnding.CpuLimit or ChildEnding.WallLimit => TestStatus.TimeLimit,
            ChildEnding.MemoryLimit or ChildEnding.OutOfMemory => TestStatus.MemoryLimit,
            _ => TestStatus.Crashed,
        };
        return Result(exercise, test, status, 0, Describe(wait, test.Limits, test.Hidden)) with { CpuSeconds = Math.Round(wait.CpuSeconds, 3), WallSeconds = Math.Round(wait.WallSeconds, 3) };
    }

    /// <summary>Below this share of the clock on the CPU, a child that ran out of clock time was waiting, not computing.</summary>
    private const double WaitingShare = 0.1;

    /// <summary>Why a child gave no reply, in a sentence about the student's code.</summary>
    private static string Describe(WorkerWait wait, ResourceLimits limits, bool hidden) => wait.Ending switch
    {
        ChildEnding.CpuLimit => Invariant($"the student's code ran past its {limits.CpuSeconds:0.##} s CPU limit"),
        ChildEnding.WallLimit => wait.CpuSeconds < WaitingShare * wait.WallSeconds
            ? Invariant($"the student's code was still running after its {limits.WallSeconds:0.##} s limit on the clock, using almost no CPU (a sleep, a deadlock, a wait for input?)")
            : Invariant($"the student's code was still running after its {limits.WallSeconds:0.##} s limit on the clock, having used {wait.CpuSeconds:0.#} s of CPU (a machine too busy for the limits?)"),
        ChildEnding.MemoryLimit => $"the student's code used more than its {limits.MemoryMiB} MiB memory limit",
        ChildEnding.OutOfMemory => $"the student's code ran out of memory: its limit is {limits.MemoryMiB} MiB",
        ChildEnding.StackOverflow => "the student's code overflowed the stack (endless recursion?)",
        ChildEnding.Exited => $"the student's code ended the process (exit code {wait.ExitCode}) before it answered (Environment.Exit?)",
        _ => $"the student's code crashed its process: {(hidden ? Kind(wait.Detail) : wait.Detail)}",
    };

    /// <summary>"Unhandled exception. System.X: message" without the message (which could carry a hidden test's numbers).</summary>
    private static string Kind(string detail)
    {
        int colon = detail.IndexOf(": ", detail.IndexOf('.') + 1, StringComparison.Ordinal);
        return colon > 0 ? detail[..colon] : detail;
    }

    private static TestResult Result(Exercise exercise, ExerciseTest test, TestStatus status, double points, string message) => new()
    {
        Exercise = exercise.Id, Test = test.Name, Group = test.Group, Hidden = test.Hidden,
        Status = status, Points = points, MaxPoints = test.Points, Message = message,
    };

    private static TestResult NotRun(Exercise exercise, ExerciseTest test) =>
        Result(exercise, test, TestStatus.NotRun, 0, "hidden test: your instructor runs it");

    /// <summary>Every test of <paramref name="exercise"/> with the same outcome (hidden tests that cannot run here stay not run).</summary>
    private ExerciseResult Everything(Exercise exercise, string student, TestStatus status, string message) =>
        new(exercise.Id, exercise.Title,
            [.. TestsOf(exercise).Select(t => t.Available ? Result(exercise, t, status, 0, message) : NotRun(exercise, t))],
            [], Variant.Normalize(student));

    private static IExerciseJudge JudgeOf(Exercise exercise) =>
        Judges.Find(exercise.Judge) ?? throw new ExerciseFormatException(Path.Combine(exercise.Directory, Exercise.ManifestFile),
            $"judge: unknown judge '{exercise.Judge}' (known: {string.Join(", ", Judges.All.Select(j => j.Name))})");

    private string CreateScratch()
    {
        string root = _options.ScratchDirectory ?? Path.GetTempPath();
        string scratch = Path.Combine(root, "virtlab-grade-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(scratch);
        return scratch;
    }

    private void DeleteScratch(string scratch)
    {
        if (!_options.KeepScratch) TryDelete(scratch);
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
