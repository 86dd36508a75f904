using System.CommandLine;
using System.Text;
using System.Text.Json;
using VirtLab.Interactive;
using VirtLab.Notebooks;

namespace VirtLab.Cli;

/// <summary>
/// <c>virtlab answers NOTEBOOK... [--student ID]... [--format text|json]</c>: every self-check
/// question's answer for a student, as OSTEP's simulators print theirs with <c>-c</c>.
/// <para>
/// It runs each notebook with VirtLab's notebook runner in answers mode (<c>VIRTLAB_ANSWERS=1</c>,
/// <c>VIRTLAB_STUDENT=ID</c> in the cells' environment). Each question then computes its answer as
/// its cell asks it and prints an <see cref="AnswerRecord"/> line, which this command collects.
/// The answers therefore come from the notebook's own code and cannot drift from it. The notebook
/// files are not changed.
/// </para>
/// </summary>
public static class AnswersCommand
{
    private static readonly JsonSerializerOptions json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The answers of one notebook for one student.</summary>
    /// <param name="Notebook">The notebook file, as given on the command line (patterns expanded).</param>
    /// <param name="Student">The student id asked for, or null for the default.</param>
    /// <param name="Questions">The answer records, in the order the notebook asks its questions.</param>
    public sealed record NotebookAnswers(string Notebook, string? Student, IReadOnlyList<AnswerRecord> Questions);

    /// <summary>Builds the <c>answers</c> command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("notebook")
        {
            Description = "Lessons to list the answers of (.ipynb or .dib). A pattern such as notebooks/03-*.ipynb is expanded (wildcards in the file name only).",
            Arity = ArgumentArity.OneOrMore,
        };
        var students = new Option<string[]>("--student", "-s")
        {
            Description = "The student id to compute the answers for; repeat the option for several students (default: VIRTLAB_STUDENT, else the course's default id)",
            HelpName = "ID",
        };
        var format = new Option<string>("--format") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var timeout = new Option<double?>("--timeout") { Description = "Longest a single cell may run, in seconds (default 300; 0 for no limit)", HelpName = "SECONDS" };
        var command = new Command("answers", "Print every self-check question's answer for a student (runs the notebooks in answers mode)")
        {
            paths, students, format, timeout,
        };
        VirtLabCli.SetHelpEpilog(command, """
            Each notebook runs with VirtLab's notebook runner; progress goes to stderr, the answers to stdout.
            For every question: its id, its text with the student's parameters, the parameters, the answer
            (with as many digits as its tolerance needs) and the tolerance.

            Exit codes: 0 every answer computed, 2 a cell failed or an answer could not be computed,
            64 a notebook is missing or a pattern matches nothing.
            """);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(paths) ?? [], parse.GetValue(students) ?? [], parse.GetValue(format) ?? "text", parse.GetValue(timeout),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>The body of <c>virtlab answers</c>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> patterns, IReadOnlyList<string> students, string format, double? timeoutSeconds,
        TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var files = new List<string>();
        foreach (var pattern in patterns)
        {
            var matches = Expand(pattern, out var problem);
            if (problem is not null)
            {
                error.WriteLine($"virtlab answers: {problem}");
                return NotebookCommands.UsageError;
            }
            files.AddRange(matches.Where(m => !files.Contains(m)));
        }

        IReadOnlyList<string?> ids = students.Count > 0 ? [.. students] : [null];
        if (students.Count == 0)
            error.WriteLine(Student.Normalize(Environment.GetEnvironmentVariable(Student.EnvironmentVariable)) is { } fromEnvironment
                ? $"virtlab answers: no --student given; using {Student.EnvironmentVariable}={fromEnvironment}"
                : $"virtlab answers: no --student given; these are the default numbers, which every student without an id sees");

        var all = new List<NotebookAnswers>();
        bool ok = true;
        foreach (var id in ids)
        {
            foreach (var file in files)
            {
                NotebookDocument document;
                try
                {
                    document = NotebookDocument.Load(file);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    error.WriteLine($"virtlab answers: {file}: cannot read the notebook: {e.Message}");
                    ok = false;
                    continue;
                }
                var (answers, succeeded) = await RunNotebookAsync(file, document, id, timeoutSeconds, error, cancellationToken);
                all.Add(answers);
                ok &= succeeded;
                if (format == "text") output.Write(Text(answers));
            }
        }
        if (format == "json") output.WriteLine(JsonSerializer.Serialize(all, json));
        return ok ? 0 : NotebookCommands.CellsFailed;
    }

    /// <summary>Runs one notebook in answers mode for one student and gathers its answer records.</summary>
    private static async Task<(NotebookAnswers Answers, bool Succeeded)> RunNotebookAsync(string file, NotebookDocument document, string? student, double? timeoutSeconds,
        TextWriter error, CancellationToken cancellationToken)
    {
        if (NotebookCommands.ReferencesLibrary(document)) NotebookCommands.DeployLibrary(document.Directory, error);
        var environment = new Dictionary<string, string?> { [SelfCheck.AnswersVariable] = "1" };
        if (student is not null) environment[Student.EnvironmentVariable] = student;
        var result = await NotebookRunner.RunAsync(document, new RunOptions
        {
            CellTimeout = NotebookCommands.Timeout(timeoutSeconds),
            Log = error,
            Environment = environment,
        }, cancellationToken);

        var records = result.Document.Cells
            .SelectMany(cell => cell.Outputs.OfType<StreamOutput>().Where(s => s.Name == StreamOutput.StandardOutput))
            .SelectMany(stream => AnswerRecord.FindIn(stream.Text))
            .ToList();
        bool succeeded = result.Succeeded;
        foreach (var failure in result.Failures)
            error.WriteLine($"virtlab answers: {document.Name}, cell {failure.Index + 1}: {failure.Status} - {NotebookCommands.FirstError(failure.Cell)}");
        foreach (var record in records.Where(r => r.Error is not null))
        {
            error.WriteLine($"virtlab answers: {document.Name}, question {record.Id}: the answer could not be computed: {record.Error}");
            succeeded = false;
        }
        if (records.Count == 0) error.WriteLine($"virtlab answers: {document.Name} asks no self-check questions");
        var expected = Student.Normalize(student);
        foreach (var other in records.Select(r => r.Student).Distinct().Where(s => expected is not null && s != expected))
            error.WriteLine($"virtlab answers: {document.Name} sets Student.Id = \"{other}\" itself, which wins over --student; its answers are for \"{other}\"");
        return (new NotebookAnswers(file, student, records), succeeded);
    }

    /// <summary>The text listing of one notebook's answers.</summary>
    private static string Text(NotebookAnswers answers)
    {
        var students = answers.Questions.Select(q => q.Student).Distinct().ToList();
        var who = students.Count == 1 ? $"student \"{students[0]}\"" : answers.Student is null ? "default student" : $"student \"{Student.Normalize(answers.Student)}\"";
        var text = new StringBuilder($"== {answers.Notebook}, {who}: {answers.Questions.Count} question{(answers.Questions.Count == 1 ? "" : "s")}\n");
        foreach (var question in answers.Questions)
        {
            text.Append('\n').Append(question.Id).Append("  ").Append(question.Text.ReplaceLineEndings(" ")).Append('\n');
            foreach (var option in question.Options) text.Append("      ").Append(option).Append('\n');
            if (question.Parameters.Count > 0) text.Append("    parameters: ").Append(string.Join(", ", question.Parameters)).Append('\n');
            text.Append(question.Error is { } failure
                ? $"    answer:     could not be computed: {failure}\n"
                : $"    answer:     {question.Answer}   (tolerance: {question.Tolerance})\n");
        }
        return text.Append('\n').ToString();
    }

    /// <summary>
    /// The files <paramref name="pattern"/> names: itself when it has no wildcard, else the matching
    /// files of its folder in name order (shells expand patterns themselves; this covers quoted
    /// patterns and shells that do not).
    /// </summary>
    private static IReadOnlyList<string> Expand(string pattern, out string? problem)
    {
        problem = null;
        var name = Path.GetFileName(pattern);
        var directory = Path.GetDirectoryName(pattern) is { Length: > 0 } d ? d : ".";
        if (directory.IndexOfAny(['*', '?']) >= 0)
        {
            problem = $"{pattern}: wildcards are allowed in the file name only";
            return [];
        }
        if (name.IndexOfAny(['*', '?']) < 0)
        {
            if (File.Exists(pattern)) return [pattern];
            problem = $"no such file: {pattern}";
            return [];
        }
        var matches = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, name)
                .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".ipynb" or ".dib")
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        if (matches.Count == 0) problem = $"no notebook matches {pattern}";
        return matches;
    }
}
