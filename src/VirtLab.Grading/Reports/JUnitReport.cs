using System.Globalization;
using System.Xml.Linq;
using VirtLab.Grading.Results;

namespace VirtLab.Grading.Reports;

/// <summary>
/// Grades as JUnit XML (<c>--format junit</c>), which every CI can show: one test suite per student
/// and exercise, one test case per test (class name <c>exercise.group</c>). A wrong or partial
/// answer is a <c>failure</c>; a crash, time or memory limit, compile error or missing code an
/// <c>error</c>; a hidden test that could not run here is <c>skipped</c>. Points are properties of
/// each suite and case.
/// </summary>
public static class JUnitReport
{
    public static string Of(SubmissionResult submission) => Document([submission]);
    public static string Of(ClassResult result) => Document(result.Submissions);

    private static string Document(IReadOnlyList<SubmissionResult> submissions)
    {
        var suites = submissions.SelectMany(s => s.Exercises.Select(e => Suite(s, e))).ToList();
        var root = new XElement("testsuites",
            new XAttribute("name", "virtlab grade"),
            new XAttribute("tests", suites.Sum(s => (int)s.Attribute("tests")!)),
            new XAttribute("failures", suites.Sum(s => (int)s.Attribute("failures")!)),
            new XAttribute("errors", suites.Sum(s => (int)s.Attribute("errors")!)),
            new XAttribute("skipped", suites.Sum(s => (int)s.Attribute("skipped")!)),
            new XAttribute("time", Seconds(submissions.Sum(s => s.Seconds))),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + Environment.NewLine + root;
    }

    private static XElement Suite(SubmissionResult s, ExerciseResult e)
    {
        var cases = e.Tests.Select(Case).ToList();
        return new XElement("testsuite",
            new XAttribute("name", Clean($"{s.Student}/{e.Exercise}")),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", e.Tests.Count(t => IsFailure(t.Status))),
            new XAttribute("errors", e.Tests.Count(t => IsError(t.Status))),
            new XAttribute("skipped", e.Tests.Count(t => !t.Counted)),
            new XAttribute("time", Seconds(e.Tests.Sum(t => t.WallSeconds))),
            new XElement("properties", Property("points", e.Points), Property("max_points", e.MaxPoints)),
            cases,
            e.CompileErrors.Count > 0 ? new XElement("system-err", Clean(string.Join("\n", e.CompileErrors))) : null);
    }

    private static XElement Case(TestResult t)
    {
        var element = new XElement("testcase",
            new XAttribute("classname", $"{t.Exercise}.{t.Group}"),
            new XAttribute("name", Clean(t.Test)),
            new XAttribute("time", Seconds(t.WallSeconds)),
            new XElement("properties", Property("points", t.Points), Property("max_points", t.MaxPoints)));
        string kind = ReportText.Word(t.Status);
        if (!t.Counted) element.Add(new XElement("skipped", new XAttribute("message", Clean(t.Message))));
        else if (IsFailure(t.Status)) element.Add(new XElement("failure", new XAttribute("message", Clean($"{ReportText.OutOf(t.Points, t.MaxPoints)} points: {t.Message}")), new XAttribute("type", kind)));
        else if (IsError(t.Status)) element.Add(new XElement("error", new XAttribute("message", Clean(t.Message)), new XAttribute("type", kind)));
        if (t.Output.Length > 0) element.Add(new XElement("system-out", Clean(t.Output)));
        return element;
    }

    private static bool IsFailure(TestStatus s) => s is TestStatus.Wrong or TestStatus.Partial;
    private static bool IsError(TestStatus s) => s is not (TestStatus.Passed or TestStatus.Wrong or TestStatus.Partial or TestStatus.NotRun);

    private static XElement Property(string name, double value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", ReportText.Format(value)));

    private static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Student output without the control characters XML 1.0 cannot hold.</summary>
    private static string Clean(string text) => new([.. text.Where(c => c is '\n' or '\r' or '\t' || c >= ' ' && !char.IsSurrogate(c))]);
}
