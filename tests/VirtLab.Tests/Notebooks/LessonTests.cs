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
    public void The_type1_and_type2_lesson_draws_its_charts_and_writes_its_prose_from_the_runs()
    {
        var lesson = course.Result.Lessons.Single(l => l.Document.Name == "02-type1-and-type2").Document;
        var html = string.Concat(lesson.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Select(d => d.Html));
        // Fig. 3 shape, the round-trip sweep, the latency distribution, host memory, and the two fit charts.
        Assert.True(html.Split("Plotly.newPlot").Length - 1 >= 6, "fewer than six charts");
        Assert.Contains("\"sliders\"", html);                       // the round trip's cost behind a slider
        Assert.Contains("round trips per operation", html);          // prose computed from the sweep
        Assert.Contains("The Type 1 host meets the service level with up to", html);
        foreach (var id in new[] { "02.1", "02.2", "02.3", "02.4" }) Assert.Contains(id, html);
    }

    [Fact]
    public void Lesson_01_shows_the_same_output_bare_and_in_a_vm_one_traced_exit_and_charts_with_sliders()
    {
        var lesson = course.Result.Lessons.Single(l => l.Document.Name == "01-what-a-hypervisor-does").Document;
        var html = string.Concat(lesson.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Select(d => d.Html));
        // The two outputs side by side: the bare machine's and the VM's, printed by the same kernel.
        var columns = System.Text.RegularExpressions.Regex.Matches(html, "<pre>(.*?)</pre>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).Where(text => text.StartsWith("Hello from a tiny kernel.", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, columns.Count);
        Assert.Equal(columns[0], columns[1]);
        Assert.Contains("3 interrupts. Switching off.", columns[0]);
        Assert.Contains("class=\"virtlab vm\"", html);           // the VM as the hypervisor keeps it
        Assert.Contains("class=\"virtlab traced-exit\"", html);  // one exit, stepped through
        // Exits by reason (a slider over the workloads), the critical sections, the exit-cost sweep (a slider).
        Assert.True(System.Text.RegularExpressions.Regex.Count(html, "Plotly.newPlot") >= 3, "lesson 01 should have at least three charts");
        Assert.True(System.Text.RegularExpressions.Regex.Count(html, "\"sliders\"") >= 2, "lesson 01 should have two charts with a slider");
    }

    [Fact]
    public void The_ballooning_lesson_shows_the_driver_from_its_source_and_no_VM_starves_under_balloon_and_swap()
    {
        var lesson = course.Result.Lessons.Single(l => l.Document.Name == "03-memory-ballooning").Document;
        var outputs = lesson.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().ToList();
        var html = string.Concat(outputs.Select(d => d.Html));
        var prose = string.Concat(outputs.Select(d => d.Data.GetValueOrDefault("text/markdown")));
        Assert.Contains("balloon_poll:", html);                         // read from GuestKernel.s, not pasted
        Assert.Contains("balloon_take_one:", html);
        Assert.Contains("\"sliders\"", html);                           // the idle memory tax over tau
        Assert.Contains("\"updatemenus\"", html);                       // memory by page state, one VM at a time
        // The lesson's own verdict on balloon+swap against ballooning alone (seeds 1-4), computed from its runs:
        // it says "no VM starves" only while the fallback costs the slowest VM less than half its progress.
        Assert.Contains("and no VM starves", prose);
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
        Assert.Contains("cpu:rounds=100+mem:pages=40,stride=64", shown); // the last entry of the drop-down over the pairs
        Assert.Contains("\"updatemenus\"", shown);                   // issue 12: the gain by pair behind a drop-down
        Assert.Contains("\"sliders\"", shown);                       // the cache-size slider
        Assert.Contains("slightly more than half", shown);           // prose computed from the alu pair
    }
}
