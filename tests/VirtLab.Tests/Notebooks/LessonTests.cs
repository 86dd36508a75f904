using System.Text.Json.Nodes;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>Every lesson in notebooks/ runs to the end without an error output, and keeps the VS Code Polyglot shape.</summary>
[Collection(CourseCollection.Name)]
public sealed class LessonTests(CourseFixture course)
{
    [Fact]
    public void The_course_has_lessons_and_every_one_was_run()
    {
        var files = Course.LessonFiles(course.NotebooksDirectory);
        Assert.NotEmpty(files);
        Assert.Equal(files.Select(Path.GetFileNameWithoutExtension), course.Result.Lessons.Select(l => l.Document.Name));
        Assert.True(File.Exists(course.Result.IndexPath));
    }

    [Fact]
    public void Every_cell_of_every_lesson_succeeds()
    {
        var failures = course.Result.Lessons
            .SelectMany(l => l.Document.Cells.Select((cell, i) => (Lesson: l.Document.Name, Index: i, Cell: cell)))
            .Where(c => c.Cell.HasError)
            .Select(c => $"{c.Lesson} cell {c.Index + 1}: {string.Join(" | ", c.Cell.Outputs.OfType<ErrorOutput>().Select(e => e.Value))}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + course.Log);
        Assert.True(course.Result.Succeeded, course.Log);
    }

    [Fact]
    public void Lessons_are_in_the_VS_Code_Polyglot_shape_and_load_VirtLab_from_lib()
    {
        foreach (var path in Course.LessonFiles(course.NotebooksDirectory).Where(p => p.EndsWith(".ipynb", StringComparison.Ordinal)))
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!;
            Assert.Equal(KernelNames.KernelSpecName, (string?)json["metadata"]!["kernelspec"]!["name"]); // VirtLab's kernel by name; ".net-" keeps Polyglot
            Assert.Equal("C#", (string?)json["metadata"]!["kernelspec"]!["language"]);
            Assert.Equal("csharp", (string?)json["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]);
            var codeCells = json["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
            Assert.All(codeCells, c => Assert.Equal("csharp", (string?)c!["metadata"]!["polyglot_notebook"]!["kernelName"]));
            var first = string.Concat(codeCells[0]!["source"]!.AsArray().Select(l => (string?)l));
            Assert.Contains("#r \"lib/VirtLab.Interactive.dll\"", first);
            // Lessons are committed without outputs: they are produced by running the emulator.
            Assert.All(codeCells, c => Assert.Empty(c!["outputs"]!.AsArray()));
        }
    }

    [Fact]
    public void The_welcome_lesson_shows_registers_uart_output_and_charts()
    {
        var welcome = course.Result.Lessons.Single(l => l.Document.Name == "00-welcome").Document;
        var html = string.Concat(welcome.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Select(d => d.Html));
        var text = string.Concat(welcome.Cells.SelectMany(c => c.Outputs).OfType<StreamOutput>().Select(s => s.Text));
        Assert.Contains("class=\"virtlab hart\"", html);
        Assert.Contains("x10/a0", html);
        Assert.Contains("Hello from the guest!", text);
        Assert.Contains("primes found: 25", text); // there are 25 primes up to 100: the emulator got it right
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"sliders\"", html);
    }

    [Fact]
    public void The_hyper_threading_lesson_shows_two_harts_on_one_core_and_its_computed_prose()
    {
        var lesson = course.Result.Lessons.Single(l => l.Document.Name == "05-hyper-threading").Document;
        var text = string.Concat(lesson.Cells.SelectMany(c => c.Outputs).OfType<StreamOutput>().Select(s => s.Text));
        var shown = string.Concat(lesson.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().SelectMany(d => d.Data.Values));   // HTML, charts, Markdown prose
        Assert.Contains("hart 0: up; hart 1 sleeps in wfi", text);   // the SMP guest: hart 1 parked until the IPI
        Assert.Contains("hart 1: woken by an IPI", text);
        Assert.Contains("hart 0: woken, switching off", text);
        Assert.Contains("cpu:rounds=100+mem:pages=40,stride=64", shown); // the last step of the slider over the pairs
        Assert.Contains("\"sliders\"", shown);                       // the cache-size slider
        Assert.Contains("slightly more than half", shown);           // prose computed from the alu pair
    }
}
