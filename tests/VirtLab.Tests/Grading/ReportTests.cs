using System.Xml.Linq;
using VirtLab.Grading.Reports;
using VirtLab.Grading.Results;

namespace VirtLab.Tests.Grading;

/// <summary>The report formats on made-up results: what CI and spreadsheets read must hold whatever a student's code printed.</summary>
public class ReportTests
{
    private static TestResult Test(string name, TestStatus status, double points, double max, string message, bool hidden = false, string output = "") => new()
    {
        Exercise = "06-sizing", Test = name, Group = hidden ? "hidden" : "visible", Hidden = hidden, Status = status,
        Points = points, MaxPoints = max, Message = message, Output = output, WallSeconds = 1.5,
    };

    private static SubmissionResult Submission(string student) => new(student, "/x", [new ExerciseResult("06-sizing", "Sizing", [
        Test("own-mix", TestStatus.Partial, 2, 4, "one VM off | <b>bold</b>\nnext line"),
        Test("single-core", TestStatus.TimeLimit, 0, 2, "the student's code ran past its 20 s CPU limit", output: "tick\u0001\u0007tock"),
        Test("unseen-host", TestStatus.Passed, 2, 2, "correct", hidden: true),
        Test("strict-slo", TestStatus.NotRun, 0, 2, "hidden test: your instructor runs it", hidden: true),
    ], [], student)], 3.25);

    [Fact]
    public void Junit_counts_failures_errors_and_skips_and_survives_control_characters()
    {
        var doc = XDocument.Parse(JUnitReport.Of(Submission("alice")));
        var suite = doc.Root!.Element("testsuite")!;
        Assert.Equal((4, 1, 1, 1), ((int)suite.Attribute("tests")!, (int)suite.Attribute("failures")!, (int)suite.Attribute("errors")!, (int)suite.Attribute("skipped")!));
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal("2/4 points: one VM off | <b>bold</b>\nnext line", cases[0].Element("failure")!.Attribute("message")!.Value);
        Assert.Equal("time limit", cases[1].Element("error")!.Attribute("type")!.Value);
        Assert.Equal("ticktock", cases[1].Element("system-out")!.Value);
        Assert.NotNull(cases[3].Element("skipped"));
        Assert.Equal("4", suite.Element("properties")!.Elements().Single(p => (string)p.Attribute("name")! == "points").Attribute("value")!.Value);
    }

    [Fact]
    public void Markdown_keeps_one_row_per_test_whatever_the_message_holds()
    {
        string md = MarkdownReport.Of(Submission("alice"));
        Assert.StartsWith("## VirtLab grade: 4/8 points", md);
        Assert.Contains("| own-mix | visible | 2/4 | 🟡 partial | one VM off \\| &lt;b&gt;bold&lt;/b&gt; next line |", md);
        Assert.Contains("| strict-slo (hidden) | hidden | -/2 | ⏸ not run |", md);
        Assert.Contains("hidden tests worth 2 more points are graded by your instructor", md);
    }

    [Fact]
    public void The_gradebook_quotes_cells_and_defuses_formulas_in_student_ids()
    {
        var result = new ClassResult([Submission("=HYPERLINK(\"x\")"), Submission("bob, jr")], 10, 2);
        var lines = CsvReport.Of(result).TrimEnd().Split(Environment.NewLine);
        Assert.Equal("student,06-sizing/own-mix,06-sizing/single-core,06-sizing/unseen-host,06-sizing/strict-slo,06-sizing,total,max_points,not_passed", lines[0]);
        Assert.StartsWith("\"'=HYPERLINK(\"\"x\"\")\",2,0,2,,4,4,8,", lines[1]);
        Assert.Equal("\"bob, jr\",2,0,2,,4,4,8,06-sizing/own-mix: partial; 06-sizing/single-core: time limit", lines[2]);
    }

    [Fact]
    public void The_text_report_shows_what_a_failing_test_printed()
    {
        string text = TextReport.Of(Submission("alice"));
        Assert.Contains("06-sizing: Sizing (variant of 'alice'): 4/8 points", text);
        Assert.Contains("single-core printed:", text);
        // Escape sequences a student's code prints cannot reach the terminal.
        Assert.Contains("| tick\\u0001\\u0007tock", text);
        Assert.Contains("total: 4/8 points (hidden tests worth 2 more points are graded by your instructor)", text);
    }
}
