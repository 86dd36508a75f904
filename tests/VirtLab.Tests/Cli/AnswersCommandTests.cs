using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;
using VirtLab.Interactive;
using VirtLab.Notebooks;
using VirtLab.Tests.Notebooks;

namespace VirtLab.Tests.Cli;

/// <summary>
/// <c>virtlab answers</c> on a real notebook (TestNotebooks/selfcheck.ipynb, whose questions run a
/// VM on the hypervisor and a program on the bare machine): the answers it prints are the ones the
/// notebook's own Check cells accept, and they differ between students.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed partial class AnswersCommandTests
{
    private const string Notebook = "selfcheck.ipynb";

    /// <summary>One question of the text listing: "T.1  text", then "answer:     572   (tolerance: ± 1 %)".</summary>
    [GeneratedRegex(@"^(?<id>T\.\d)  (?<text>.+)\n(?<options>(      .+\n)*)(    parameters: (?<parameters>.+)\n)?    answer:     (?<answer>\S+)   \(tolerance: (?<tolerance>[^)]+)\)$", RegexOptions.Multiline)]
    private static partial Regex ListedQuestion();

    private static Dictionary<string, (string Text, string Parameters, string Answer, string Tolerance)> Listed(string block) =>
        ListedQuestion().Matches(block).ToDictionary(m => m.Groups["id"].Value,
            m => (m.Groups["text"].Value, m.Groups["parameters"].Value, m.Groups["answer"].Value, m.Groups["tolerance"].Value));

    /// <summary>The notebook with each <c>Check("id", null)</c> cell answering <paramref name="answers"/>[id] instead.</summary>
    private static string WithAnswers(string notebookJson, IReadOnlyDictionary<string, string> answers)
    {
        foreach (var (id, answer) in answers)
        {
            var literal = double.TryParse(answer, System.Globalization.CultureInfo.InvariantCulture, out _) ? answer : $"\\\"{answer}\\\"";
            var placeholder = $"Check(\\\"{id}\\\", null)";
            Assert.Contains(placeholder, notebookJson);
            notebookJson = notebookJson.Replace(placeholder, $"Check(\\\"{id}\\\", {literal})", StringComparison.Ordinal);
        }
        return notebookJson;
    }

    private static List<string> Verdicts(NotebookDocument notebook) =>
        notebook.Cells.Where(c => c.Source.StartsWith("Check(", StringComparison.Ordinal))
            .Select(c => Assert.IsType<DisplayOutput>(Assert.Single(c.Outputs)).PlainText!)
            .ToList();

    [Fact]
    public async Task The_printed_answers_are_the_ones_the_notebook_accepts_and_they_differ_between_students()
    {
        using var folder = new TestNotebookFolder(Notebook);
        var path = folder.File(Notebook);

        var result = CliHarness.Run("answers", path, "--student", "alice", "--student", "Bob");

        Assert.True(result.ExitCode == 0, result.ToString());
        var blocks = result.Output.Split("== ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, blocks.Length);
        Assert.StartsWith($"{path}, student \"alice\": 3 questions", blocks[0]);
        Assert.StartsWith($"{path}, student \"bob\": 3 questions", blocks[1]);
        var alice = Listed(blocks[0]);
        var bob = Listed(blocks[1]);
        Assert.Equal(["T.1", "T.2", "T.3"], alice.Keys);
        Assert.Equal(["T.1", "T.2", "T.3"], bob.Keys);

        // The listing gives the question with the student's parameters in it, the parameters, the answer and the tolerance.
        var ms = Regex.Match(alice["T.1"].Parameters, @"^Ms = (\d+)$").Groups[1].Value;
        Assert.Equal($"The `exit-csr` guest runs alone for {ms} ms. How many CSR exits does it make?", alice["T.1"].Text);
        Assert.Equal("± 1 %", alice["T.1"].Tolerance);
        Assert.Equal("exact", alice["T.3"].Tolerance);
        Assert.Contains("      a) cpu\n      b) exit-csr\n", blocks[0]);
        Assert.True(double.Parse(alice["T.1"].Answer) > 0);
        // Seeded parameters: alice and bob get different numbers, so different answers.
        Assert.NotEqual(alice["T.1"].Parameters, bob["T.1"].Parameters);
        Assert.NotEqual(alice["T.1"].Answer, bob["T.1"].Answer);
        Assert.NotEqual(alice["T.3"].Answer, bob["T.3"].Answer);
        Assert.Equal(alice["T.2"].Answer, bob["T.2"].Answer); // a choice without parameters is the same for everyone

        // Fed back into the notebook's own Check cells, run as alice would run it, every answer is right...
        var options = new RunOptions { CellTimeout = TimeSpan.FromMinutes(2), Environment = new Dictionary<string, string?> { [Student.EnvironmentVariable] = "alice" } };
        var original = File.ReadAllText(path);
        File.WriteAllText(path, WithAnswers(original, alice.ToDictionary(q => q.Key, q => q.Value.Answer)));
        var run = await NotebookRunner.RunAsync(NotebookDocument.Load(path), options);
        Assert.True(run.Succeeded, string.Join("\n", run.Failures.Select(f => NotebookCommandsFirstError(f.Cell))));
        Assert.Equal(["T.1: Right (within ± 1 %).", "T.2: Right.", "T.3: Right."], Verdicts(run.Document));

        // ...and bob's answers, in alice's notebook, are not (the checks can fail).
        File.WriteAllText(path, WithAnswers(original, new Dictionary<string, string> { ["T.1"] = bob["T.1"].Answer, ["T.3"] = bob["T.3"].Answer }));
        run = await NotebookRunner.RunAsync(NotebookDocument.Load(path), options);
        Assert.Equal(["T.1: Not quite. Hint: Read vm.Exits[VmExitReason.CsrAccess] after the run.", "T.2: No answer yet: put yours in place of null and run the cell again.", "T.3: Not quite."], Verdicts(run.Document));

        // Answers mode leaves the notebook file alone.
        Assert.Equal(WithAnswers(original, new Dictionary<string, string> { ["T.1"] = bob["T.1"].Answer, ["T.3"] = bob["T.3"].Answer }), File.ReadAllText(path));
    }

    [Fact]
    public void Json_output_patterns_and_bad_arguments()
    {
        using var folder = new TestNotebookFolder(Notebook);

        var result = CliHarness.Run("answers", Path.Combine(folder.Path, "self*.ipynb"), "--student", "alice", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var notebooks = JsonDocument.Parse(result.Output).RootElement;
        var only = Assert.Single(notebooks.EnumerateArray().ToList());
        Assert.Equal(folder.File(Notebook), only.GetProperty("notebook").GetString());
        var questions = only.GetProperty("questions").EnumerateArray().ToList();
        Assert.Equal(["T.1", "T.2", "T.3"], questions.Select(q => q.GetProperty("id").GetString()));
        Assert.All(questions, q => Assert.Equal("alice", q.GetProperty("student").GetString()));
        Assert.Equal(JsonValueKind.Null, questions[0].GetProperty("error").ValueKind);
        Assert.Equal("Ms", questions[0].GetProperty("parameters")[0].GetProperty("name").GetString());
        Assert.Contains("[selfcheck] cell 1/", result.Error); // progress goes to stderr, not into the JSON

        var none = CliHarness.Run("answers", Path.Combine(folder.Path, "nothing-*.ipynb"));
        Assert.Equal(NotebookCommandsUsageError, none.ExitCode);
        Assert.Contains("no notebook matches", none.Error);
        var missing = CliHarness.Run("answers", folder.File("missing.ipynb"));
        Assert.Equal(NotebookCommandsUsageError, missing.ExitCode);
        Assert.Contains("no such file", missing.Error);
    }

    [Fact]
    public void A_notebook_that_cannot_be_read_is_reported_by_name()
    {
        using var harness = new CliHarness();
        var broken = harness.Write("broken.ipynb", "{ \"cells\": [ not json");

        var result = CliHarness.Run("answers", broken, "--student", "alice");

        Assert.Equal(NotebookCommandsCellsFailed, result.ExitCode);
        Assert.Contains($"virtlab answers: {broken}: cannot read the notebook:", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Questions_and_verdicts_are_shown_through_the_notebook_formatter()
    {
        VirtLabFormatters.Register();
        Student.Id = "alice";
        try
        {
            var question = SelfCheck.Ask("F.1", draw => new { N = draw.Int(1, 9) }, p => $"What is {p.N} squared?", p => p.N * p.N);
            var html = Formatter.ToDisplayString(question, HtmlFormatter.MimeType);
            Assert.Contains("<div class=\"virtlab question\">", html);
            Assert.Contains($"What is {question.Parameters.N} squared?", html);
            Assert.StartsWith("Question F.1: What is", Formatter.ToDisplayString(question, PlainTextFormatter.MimeType));
            var verdict = SelfCheck.Check("F.1", question.Parameters.N * question.Parameters.N);
            Assert.Contains("<div class=\"virtlab check right\">", Formatter.ToDisplayString(verdict, HtmlFormatter.MimeType));
            Assert.Equal("F.1: Right.", Formatter.ToDisplayString(verdict, PlainTextFormatter.MimeType));

            // A kernel reset (the runner does one before every notebook) starts a new session: no id, no questions.
            Formatter.ResetToDefault();
            Assert.Equal(StudentIdSource.Default, Student.Source);
            Assert.Empty(SelfCheck.Questions);
        }
        finally
        {
            Student.Id = null;
        }
    }

    private static int NotebookCommandsUsageError => global::VirtLab.Cli.NotebookCommands.UsageError;

    private static int NotebookCommandsCellsFailed => global::VirtLab.Cli.NotebookCommands.CellsFailed;

    private static string NotebookCommandsFirstError(NotebookCell cell) =>
        string.Join(" | ", cell.Outputs.OfType<ErrorOutput>().Select(e => e.Value));
}
