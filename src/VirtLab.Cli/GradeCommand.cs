using System.CommandLine;
using VirtLab.Grading;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Reports;
using VirtLab.Grading.Results;

namespace VirtLab.Cli;

/// <summary>
/// <c>virtlab grade PATH</c>: grades one submission, or a whole class when PATH holds one folder per
/// student. The student's code runs in child processes under limits; this process alone judges the
/// answers and computes the points (see <see cref="Grader"/>).
/// </summary>
public static class GradeCommand
{
    /// <summary>Exit code: every test that ran earned all its points (one submission), or the gradebook was written (class).</summary>
    public const int FullMarks = 0;
    /// <summary>Exit code: some test lost points (one submission). CI steps fail on it.</summary>
    public const int PointsLost = 1;

    private const string HelpText =
        """
        Exit codes of virtlab grade:
          0   every test that ran earned all its points (a class: the gradebook was written)
          1   some test lost points
          2   nothing was graded: bad arguments, no such folder, a malformed exercise

        The exercises (manifests, judges' parameters, hidden tests) come from --exercises, or else from
        the nearest folder of exercises above the current folder, then above PATH; never from inside a
        class of submissions. Hidden tests run only where their hidden/tests.json is present.
        """;

    public static Command Create()
    {
        var path = new Argument<string>("path")
        {
            Description = "A submission (a student's repository, or one exercise folder), or a class folder with one sub-folder per student.",
        };
        var student = new Option<string?>("--student")
        {
            Description = "The student whose variant (numbers, hosts, workloads) is graded. In class mode each folder name is the student id.",
            HelpName = "ID",
        };
        var format = new Option<string>("--format")
        {
            Description = "Output: table, json, junit, markdown or csv (for a class, csv is the gradebook).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", "junit", "markdown", "csv");
        var answers = new Option<bool>("--answers")
        {
            Description = "Print the expected answer of every test (hidden ones too, where present) for the student(s) instead of grading. For instructors.",
        };
        var exercises = new Option<string?>("--exercises")
        {
            Description = "The folder of exercises to grade against (default: found above the current folder).",
            HelpName = "DIR",
        };
        var exercise = new Option<string?>("--exercise") { Description = "Grade only this exercise (e.g. 06-sizing).", HelpName = "ID" };
        var group = new Option<string?>("--group") { Description = "Grade only the tests of this group (CI runs one step per group).", HelpName = "NAME" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report (or gradebook) to FILE instead of the console.", HelpName = "FILE" };
        var junit = new Option<string?>("--junit") { Description = "Also write the grades as JUnit XML to FILE (for CI), from the same run.", HelpName = "FILE" };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the grades as Markdown to FILE (for a CI job summary), from the same run.", HelpName = "FILE" };
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "Submissions graded at the same time in class mode.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
            HelpName = "N",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress lines on stderr." };

        var command = new Command("grade", "Grade a submission, or a class of them, against the exercises: the student's code runs in child processes with time and memory limits, and only the grader scores.")
        {
            path, student, format, answers, exercises, exercise, group, output, junit, markdown, jobs, quiet,
        };
        VirtLabCli.SetHelpEpilog(command, HelpText);
        command.SetAction(parse => Execute(new Request(
            parse.GetValue(path)!, parse.GetValue(student), parse.GetValue(format)!, parse.GetValue(answers),
            parse.GetValue(exercises), parse.GetValue(exercise), parse.GetValue(group), parse.GetValue(output),
            parse.GetValue(junit), parse.GetValue(markdown), parse.GetValue(jobs), parse.GetValue(quiet)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private sealed record Request(string Path, string? Student, string Format, bool Answers, string? Exercises, string? Exercise,
        string? Group, string? Output, string? JUnit, string? Markdown, int Jobs, bool Quiet);

    private static int Execute(Request r, TextWriter stdout, TextWriter stderr)
    {
        void Progress(string line) { if (!r.Quiet) lock (stderr) stderr.WriteLine(line); }
        string target = Path.GetFullPath(r.Path);
        if (!Directory.Exists(target))
            return Fail(stderr, $"{r.Path}: no such folder (give a submission folder or a class folder)");
        if (r.Jobs < 1) return Fail(stderr, $"--jobs: {r.Jobs} must be at least 1");
        if (r.Answers && (r.Format == "junit" || r.JUnit is not null)) return Fail(stderr, "--answers prints an answer key: use --format table, json, markdown or csv");

        string? root = r.Exercises is not null ? Path.GetFullPath(r.Exercises)
            : ExerciseSet.Discover(Directory.GetCurrentDirectory()) ?? ExerciseSet.Discover(target);
        if (root is null) return Fail(stderr, "no exercises found above the current folder or PATH: give --exercises DIR");
        ExerciseSet set;
        Grader grader;
        try
        {
            set = ExerciseSet.Load(root);
            grader = new Grader(set, new GraderOptions { Exercise = r.Exercise, Group = r.Group, Parallelism = r.Jobs });
        }
        catch (ExerciseFormatException e)
        {
            return Fail(stderr, e.Message);
        }
        bool isClass = Submission.IsClass(target, grader.Selected);
        if (isClass && IsInside(root, target))
            return Fail(stderr, $"the exercises found ({root}) lie inside the submissions: give the instructor's --exercises DIR");
        Progress($"exercises: {root}{(set.HasHiddenTests ? "" : " (no hidden tests here)")}");
        if (!isClass && r.Student is null)
            Progress($"no --student given: grading the variant of '{Variant.Anonymous}'");

        var files = new List<(string File, string Text)>();
        string report;
        int code = FullMarks;
        if (r.Answers)
        {
            var students = isClass ? Submission.Students(target).Select(Path.GetFileName).ToList() : [r.Student ?? Variant.Anonymous];
            var key = students.SelectMany(s => grader.AnswerKey(s!)).ToList();
            report = r.Format switch { "json" => JsonReport.Of(key), "csv" => CsvReport.Of(key), "markdown" => MarkdownReport.Of(key), _ => TextReport.Of(key) };
            if (r.Markdown is not null) files.Add((r.Markdown, MarkdownReport.Of(key)));
        }
        else if (isClass)
        {
            int total = Submission.Students(target).Count, done = 0;
            Progress($"grading {total} submissions, {r.Jobs} at a time");
            var result = grader.GradeClass(target, s =>
                Progress($"[{Interlocked.Increment(ref done),3}/{total}] {s.Student}: {s.Points:0.##}/{s.MaxPoints:0.##} points ({s.Seconds:0.0} s)"));
            Progress($"graded {total} submissions in {result.Seconds:0.0} s");
            report = Render(r.Format, result);
            if (r.JUnit is not null) files.Add((r.JUnit, JUnitReport.Of(result)));
            if (r.Markdown is not null) files.Add((r.Markdown, MarkdownReport.Of(result)));
        }
        else
        {
            var result = grader.Grade(target, r.Student ?? Variant.Anonymous);
            if (result.Exercises.All(e => e.Tests.All(t => t.Status == TestStatus.NotSubmitted)))
                return Fail(stderr, $"{r.Path} holds none of the exercises ({string.Join(", ", grader.Selected.Select(e => e.Id))})");
            code = result.FullMarks ? FullMarks : PointsLost;
            report = Render(r.Format, result);
            if (r.JUnit is not null) files.Add((r.JUnit, JUnitReport.Of(result)));
            if (r.Markdown is not null) files.Add((r.Markdown, MarkdownReport.Of(result)));
        }
        if (r.Output is null) stdout.Write(report);
        else files.Insert(0, (r.Output, report));
        foreach (var (file, text) in files)
        {
            try { File.WriteAllText(file, text); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(stderr, $"{file}: {e.Message}"); }
            Progress($"wrote {file}");
        }
        return code;
    }

    private static string Render(string format, SubmissionResult result) => format switch
    {
        "json" => JsonReport.Of(result), "junit" => JUnitReport.Of(result), "markdown" => MarkdownReport.Of(result),
        "csv" => CsvReport.Of(result), _ => TextReport.Of(result),
    };

    private static string Render(string format, ClassResult result) => format switch
    {
        "json" => JsonReport.Of(result), "junit" => JUnitReport.Of(result), "markdown" => MarkdownReport.Of(result),
        "csv" => CsvReport.Of(result), _ => TextReport.Of(result),
    };

    private static bool IsInside(string path, string folder)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"virtlab grade: {message}");
        return ExitCodes.CannotLoad;
    }
}
