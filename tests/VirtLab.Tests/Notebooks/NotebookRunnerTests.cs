using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

[Collection(NotebookRunnerCollection.Name)]
public class NotebookRunnerTests
{
    private static readonly RunOptions quick = new() { CellTimeout = TimeSpan.FromSeconds(60) };

    private static NotebookCell CodeCell(NotebookDocument notebook, string id) => notebook.Cells.Single(c => c.Id == id);

    [Fact]
    public async Task Runs_csharp_cells_in_order_and_captures_what_each_produces()
    {
        using var folder = new TestNotebookFolder("01-basics.ipynb");
        var notebook = NotebookDocument.Load(folder.File("01-basics.ipynb"));
        var log = new StringWriter();

        var result = await NotebookRunner.RunAsync(notebook, quick with { Log = log });

        // stdout
        Assert.Equal([new StreamOutput("stdout", "hello from stdout\n")], CodeCell(notebook, "c1").Outputs);
        // display(object): HTML by default, plus plain text
        var displayed = Assert.IsType<DisplayOutput>(Assert.Single(CodeCell(notebook, "c2").Outputs));
        Assert.Contains("42", displayed.Html);
        Assert.Equal("42", displayed.PlainText);
        // a trailing expression is displayed the same way
        var trailing = Assert.IsType<DisplayOutput>(Assert.Single(CodeCell(notebook, "c3").Outputs));
        Assert.Equal("43", trailing.PlainText);
        // strings are plain text only
        var text = Assert.IsType<DisplayOutput>(Assert.Single(CodeCell(notebook, "c4").Outputs));
        Assert.Equal(["text/plain"], text.Data.Keys);
        Assert.Equal("just text", text.PlainText);
        // HTML(...) is HTML only
        var html = Assert.IsType<DisplayOutput>(Assert.Single(CodeCell(notebook, "c5").Outputs));
        Assert.Equal(["text/html"], html.Data.Keys);
        Assert.Equal("<b>bold</b>", html.Html);
        // compile error, with the position inside the cell
        var compileError = Assert.IsType<ErrorOutput>(Assert.Single(CodeCell(notebook, "c6").Outputs));
        Assert.StartsWith("(2,1): error CS0200:", compileError.Value);
        // runtime exception, after the output the cell produced before throwing
        var thrown = CodeCell(notebook, "c7").Outputs;
        Assert.Equal(new StreamOutput("stdout", "before the throw\n"), thrown[0]);
        Assert.Equal("System.InvalidOperationException: boom", Assert.IsType<ErrorOutput>(thrown[1]).Value);
        // state survives failures; System.Linq is imported by default
        var after = CodeCell(notebook, "c8").Outputs;
        Assert.Equal(new StreamOutput("stdout", "42\n"), after[0]);
        Assert.Equal("1", Assert.IsType<DisplayOutput>(after[1]).PlainText);
        // other kernels are refused
        Assert.Contains("'fsharp' is not supported", Assert.IsType<ErrorOutput>(Assert.Single(CodeCell(notebook, "c9").Outputs)).Value);
        // markdown untouched
        Assert.Equal("## The end", notebook.Cells[^1].Source);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["c6", "c7", "c9"], result.Failures.Select(f => f.Cell.Id));
        Assert.Equal(Enumerable.Range(1, 9).Cast<int?>(), notebook.Cells.Where(c => c.Kind == CellKind.Code).Select(c => c.ExecutionCount));
        Assert.Matches(@"^\[01-basics\] cell 1/9 \.\.\. \d+\.\d s$", log.ToString().Split('\n')[0].TrimEnd('\r'));
        Assert.Contains("[01-basics] cell 6/9 ... ", log.ToString());
        Assert.Contains("FAILED", log.ToString());
    }

    [Fact]
    public async Task Stop_on_error_leaves_the_cells_after_the_first_failure_unrun()
    {
        using var folder = new TestNotebookFolder("01-basics.ipynb");
        var notebook = NotebookDocument.Load(folder.File("01-basics.ipynb"));

        var result = await NotebookRunner.RunAsync(notebook, quick with { StopOnError = true });

        Assert.Equal(["c6"], result.Failures.Select(f => f.Cell.Id));
        Assert.All(result.Cells.Skip(6), c => Assert.Equal(CellStatus.Skipped, c.Status));
        Assert.Empty(CodeCell(notebook, "c8").Outputs);
    }

    [Fact]
    public async Task A_cell_that_never_ends_times_out_its_process_is_ended_and_the_run_goes_on_in_a_fresh_one()
    {
        using var folder = new TestNotebookFolder("timeout.ipynb");
        var notebook = NotebookDocument.Load(folder.File("timeout.ipynb"));

        var result = await NotebookRunner.RunAsync(notebook, new RunOptions { CellTimeout = TimeSpan.FromSeconds(10) });

        var firstProcess = int.Parse(Assert.IsType<StreamOutput>(Assert.Single(CodeCell(notebook, "c1").Outputs)).Text);
        Assert.Equal("cell timed out after 10 s; it did not stop, so its C# process was ended and the notebook's state was reset",
            Assert.IsType<ErrorOutput>(Assert.Single(CodeCell(notebook, "c2").Outputs)).Value);
        // The spinning cell's process is gone: it does not keep burning a core...
        Assert.True(ProcessIsGone(firstProcess), $"process {firstProcess} of the timed-out cell still runs");
        // ...so the state it held is gone too, and the next cells run in a fresh process.
        Assert.Contains("error CS0103: The name 'before' does not exist", Assert.IsType<ErrorOutput>(Assert.Single(CodeCell(notebook, "c3").Outputs)).Value);
        var secondProcess = int.Parse(Assert.IsType<StreamOutput>(Assert.Single(CodeCell(notebook, "c4").Outputs)).Text);
        Assert.NotEqual(firstProcess, secondProcess);
        Assert.Equal([CellStatus.Succeeded, CellStatus.TimedOut, CellStatus.Failed, CellStatus.Succeeded], result.Cells.Select(c => c.Status));
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task A_cell_that_sleeps_past_its_timeout_is_woken_and_the_notebook_keeps_its_state()
    {
        using var folder = new TestNotebookFolder();
        var notebook = Dib(folder, "sleep", "var before = \"kept\";", "System.Threading.Thread.Sleep(60_000);", "before");

        var result = await NotebookRunner.RunAsync(notebook, new RunOptions { CellTimeout = TimeSpan.FromSeconds(10) });

        Assert.Equal("cell timed out after 10 s", Assert.IsType<ErrorOutput>(Assert.Single(notebook.Cells[1].Outputs)).Value);
        Assert.Equal("kept", Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[2].Outputs)).PlainText);
        Assert.Equal([CellStatus.Succeeded, CellStatus.TimedOut, CellStatus.Succeeded], result.Cells.Select(c => c.Status));
    }

    /// <summary>
    /// A cell's code may hold every thread of its process's pool (here all of them wait for the
    /// console) while the cell's own thread sends outputs bigger than the pipe's buffer. The cell
    /// host's sends must not need the pool to finish; when they did, a lesson's first chart (4 MB
    /// with plotly.js) hung a run through the kernel now and then.
    /// </summary>
    [Fact]
    public async Task Large_outputs_reach_the_runner_while_the_cells_code_holds_every_pool_thread()
    {
        using var folder = new TestNotebookFolder();
        const int Megabytes = 4, Values = 5;
        var notebook = Dib(folder, "busy-pool",
            $$"""
            using System.Threading;
            ThreadPool.GetMinThreads(out var workers, out var completions);
            ThreadPool.SetMaxThreads(Math.Max(workers, Environment.ProcessorCount), completions); // the pool may not grow
            var writing = true;
            var writers = Enumerable.Range(0, 4 * Environment.ProcessorCount)
                .Select(_ => Task.Run(() => { while (Volatile.Read(ref writing)) Console.Write("."); }))
                .ToArray();
            for (var i = 0; i < {{Values}}; i++) display(HTML(new string((char)('a' + i), {{Megabytes}} << 20)));
            Volatile.Write(ref writing, false);
            Task.WaitAll(writers);
            """,
            "\"the next cell runs\"");

        var result = await NotebookRunner.RunAsync(notebook, quick);

        Assert.True(result.Cells[0].Status == CellStatus.Succeeded, string.Join("\n", notebook.Cells[0].Outputs.OfType<ErrorOutput>().Select(e => e.Value)));
        Assert.Equal(CellStatus.Succeeded, result.Cells[1].Status);
        var values = notebook.Cells[0].Outputs.OfType<DisplayOutput>().ToList();
        Assert.Equal(Enumerable.Range(0, Values).Select(i => new string((char)('a' + i), Megabytes << 20)), values.Select(v => v.Html));
        Assert.Contains(notebook.Cells[0].Outputs, o => o is StreamOutput { Text: ['.', ..] });
        Assert.Equal("the next cell runs", Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[1].Outputs)).PlainText);
    }

    /// <summary>
    /// Why the test above cannot hang: the cell host never makes its pipe asynchronous, so on Linux
    /// the socket stays blocking (no O_NONBLOCK, octal 04000, in its flags) and a send that fills
    /// it waits in the kernel, not for .NET's socket engine and the thread pool. This is what
    /// fails if that ever changes; the race it prevents is too rare to reproduce on demand.
    /// </summary>
    [SkippableFact]
    public async Task On_Linux_the_cell_hosts_end_of_the_pipe_is_a_blocking_socket()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc/self/fdinfo");
        using var folder = new TestNotebookFolder();
        var notebook = Dib(folder, "pipe-flags", """
            using System.IO;
            foreach (var fd in Directory.GetFiles("/proc/self/fd"))
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:"))
                    Console.WriteLine(File.ReadLines($"/proc/self/fdinfo/{Path.GetFileName(fd)}").First(line => line.StartsWith("flags:")).Split('\t')[1]);
            """);

        await NotebookRunner.RunAsync(notebook, quick);

        var flags = Assert.IsType<StreamOutput>(Assert.Single(notebook.Cells[0].Outputs)).Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(octal => Convert.ToInt32(octal, 8)).ToList();
        Assert.NotEmpty(flags);
        const int NonBlocking = 0x800; // O_NONBLOCK on Linux
        Assert.All(flags, f => Assert.True((f & NonBlocking) == 0, $"a socket of the cell host is non-blocking (flags {Convert.ToString(f, 8)})"));
    }

    /// <summary>
    /// If whoever receives the outputs (the Jupyter kernel, the runner) throws, nobody would read
    /// the pipe any more and the cell would hang until its timeout. Instead the child is ended at
    /// once and the cell says why; the next cell runs in a fresh child.
    /// </summary>
    [Fact]
    public async Task An_output_receiver_that_throws_ends_the_cells_process_with_the_reason_instead_of_hanging_the_cell()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        var outputs = new List<CellOutput>();
        var status = await kernel.ExecuteAsync("Console.WriteLine(\"first\"); System.Threading.Thread.Sleep(1000); Console.WriteLine(\"second\");", output =>
        {
            if (output is StreamOutput) throw new InvalidOperationException("the receiver broke");
            outputs.Add(output);
        }, timeout: TimeSpan.FromSeconds(120));

        Assert.Equal(CellStatus.Crashed, status);
        Assert.Equal("VirtLab could not pass on an output of the cell (InvalidOperationException: the receiver broke), so it ended the cell's C# process; the notebook's state was reset",
            Assert.IsType<ErrorOutput>(Assert.Single(outputs)).Value);
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync("1 + 1", outputs.Add));
        Assert.Equal(1, kernel.Replacements);
    }

    [Fact]
    public async Task A_stack_overflow_or_Environment_Exit_ends_only_the_cells_process_and_every_other_output_is_kept()
    {
        using var folder = new TestNotebookFolder();
        var notebook = Dib(folder, "crashes",
            "var x = 1;\nConsole.WriteLine(\"before the crash\");",
            "int F(int n) => F(n + 1) + 1;\nConsole.WriteLine(\"recursing\");\nF(0)",
            "Console.WriteLine(\"after the crash\");",
            "x",
            "Environment.Exit(3);",
            "Console.WriteLine(\"after the exit\");");
        var log = new StringWriter();

        var result = await NotebookRunner.RunAsync(notebook, quick with { Log = log });

        var cells = notebook.Cells;
        Assert.Equal([new StreamOutput("stdout", "before the crash\n")], cells[0].Outputs);
        // The output the cell wrote before it crashed is kept, then the crash is its error.
        Assert.Equal(new StreamOutput("stdout", "recursing\n"), cells[1].Outputs[0]);
        var overflow = Assert.IsType<ErrorOutput>(cells[1].Outputs[1]);
        Assert.Equal("the cell ended the C# process: stack overflow; the notebook's state was reset", overflow.Value);
        Assert.Contains(overflow.Traceback, line => line.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase));
        Assert.Equal([new StreamOutput("stdout", "after the crash\n")], cells[2].Outputs);
        Assert.Contains("CS0103", Assert.IsType<ErrorOutput>(Assert.Single(cells[3].Outputs)).Value); // the state was reset
        Assert.Equal("the cell ended the C# process: Environment.Exit(3); the notebook's state was reset",
            Assert.IsType<ErrorOutput>(Assert.Single(cells[4].Outputs)).Value);
        Assert.Equal([new StreamOutput("stdout", "after the exit\n")], cells[5].Outputs);
        Assert.Equal([CellStatus.Succeeded, CellStatus.Crashed, CellStatus.Succeeded, CellStatus.Failed, CellStatus.Crashed, CellStatus.Succeeded],
            result.Cells.Select(c => c.Status));
        Assert.Contains("CRASHED (state reset)", log.ToString());
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Stop_on_error_stops_at_a_crash()
    {
        using var folder = new TestNotebookFolder();
        var notebook = Dib(folder, "crash-stop", "Console.WriteLine(1);", "Environment.Exit(0);", "Console.WriteLine(3);");

        var result = await NotebookRunner.RunAsync(notebook, quick with { StopOnError = true });

        Assert.Equal([CellStatus.Succeeded, CellStatus.Crashed, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.Contains("Environment.Exit(0)", Assert.IsType<ErrorOutput>(Assert.Single(notebook.Cells[1].Outputs)).Value);
        Assert.Empty(notebook.Cells[2].Outputs);
    }

    [Fact]
    public async Task A_cell_that_exhausts_the_memory_limit_gets_an_error_and_the_notebook_goes_on()
    {
        using var folder = new TestNotebookFolder();
        var notebook = Dib(folder, "memory",
            "var kept = 42;",
            "{\n    var chunks = new List<byte[]>();\n    while (true) chunks.Add(new byte[1 << 20]);\n}",
            "kept");

        var result = await NotebookRunner.RunAsync(notebook, quick with { MemoryLimit = 256L << 20 });

        Assert.Contains("OutOfMemoryException", Assert.IsType<ErrorOutput>(Assert.Single(notebook.Cells[1].Outputs)).Value);
        Assert.Equal("42", Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[2].Outputs)).PlainText);
        Assert.Equal([CellStatus.Succeeded, CellStatus.Failed, CellStatus.Succeeded], result.Cells.Select(c => c.Status));
    }

    [Fact]
    public async Task Cells_see_this_process_environment_and_the_variables_the_run_adds()
    {
        using var folder = new TestNotebookFolder();
        var notebook = Dib(folder, "environment",
            "Environment.GetEnvironmentVariable(\"VIRTLAB_STUDENT\")",
            "Environment.GetEnvironmentVariable(\"VIRTLAB_TEST_FROM_PARENT\")",
            "Environment.CurrentDirectory");
        Environment.SetEnvironmentVariable("VIRTLAB_TEST_FROM_PARENT", "inherited");
        try
        {
            await NotebookRunner.RunAsync(notebook, quick with { Environment = new Dictionary<string, string?> { ["VIRTLAB_STUDENT"] = "s-1234" } });
        }
        finally
        {
            Environment.SetEnvironmentVariable("VIRTLAB_TEST_FROM_PARENT", null);
        }

        Assert.Equal("s-1234", Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[0].Outputs)).PlainText);
        Assert.Equal("inherited", Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[1].Outputs)).PlainText);
        Assert.Equal(folder.Path, Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[2].Outputs)).PlainText);
    }

    /// <summary>relative-reference.ipynb with its script and data file, and lib/Greeting.dll that its first cell references.</summary>
    private static TestNotebookFolder FolderWithGreetingLibrary()
    {
        var folder = new TestNotebookFolder("relative-reference.ipynb", "helpers.csx", "data.txt");
        Directory.CreateDirectory(folder.File("lib"));
        EmitLibrary(folder.File("lib/Greeting.dll"), """
            namespace Greeting;
            public static class Greeter { public static string Hello(string name) => $"Hello, {name}"; }
            """);
        return folder;
    }

    [Fact]
    public async Task References_a_dll_and_loads_a_script_relative_to_the_notebook_and_runs_in_its_folder()
    {
        using var folder = FolderWithGreetingLibrary();
        var notebook = NotebookDocument.Load(folder.File("relative-reference.ipynb"));
        var directoryBefore = Environment.CurrentDirectory;

        var result = await NotebookRunner.RunAsync(notebook, quick);

        Assert.True(result.Succeeded, string.Join("\n", notebook.Cells.SelectMany(c => c.Outputs).OfType<ErrorOutput>().Select(e => e.Value)));
        Assert.Equal("Hello, STUDENTS!", Assert.IsType<DisplayOutput>(Assert.Single(CodeCell(notebook, "c2").Outputs)).PlainText);
        Assert.Equal("data next to the notebook", Assert.IsType<DisplayOutput>(Assert.Single(CodeCell(notebook, "c3").Outputs)).PlainText);
        Assert.Equal(directoryBefore, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task A_notebook_loaded_by_a_relative_path_resolves_its_references_against_its_own_folder()
    {
        // As `virtlab answers notebooks/01-*.ipynb` loads it: relative to the current directory,
        // which the runner then changes to the notebook's folder.
        using var folder = FolderWithGreetingLibrary();
        var directoryBefore = Environment.CurrentDirectory;
        NotebookDocument notebook;
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(folder.Path)!;
            notebook = NotebookDocument.Load(Path.Combine(Path.GetFileName(folder.Path), "relative-reference.ipynb"));
            Assert.Equal(folder.Path, notebook.Directory);

            var result = await NotebookRunner.RunAsync(notebook, quick);

            Assert.True(result.Succeeded, string.Join("\n", notebook.Cells.SelectMany(c => c.Outputs).OfType<ErrorOutput>().Select(e => e.Value)));
            Assert.Equal(folder.Path, notebook.Directory);
        }
        finally
        {
            Environment.CurrentDirectory = directoryBefore;
        }
        Assert.Equal("Hello, STUDENTS!", Assert.IsType<DisplayOutput>(Assert.Single(CodeCell(notebook, "c2").Outputs)).PlainText);
    }

    [Fact]
    public async Task Runs_a_dib_notebook_and_ignores_magic_commands()
    {
        var notebook = NotebookDocument.Load(Path.Combine(TestNotebookFolder.Fixtures, "lesson.dib"));

        var result = await NotebookRunner.RunAsync(notebook, quick);

        Assert.True(result.Succeeded);
        Assert.Equal([new StreamOutput("stdout", "10\n")], notebook.Cells[1].Outputs);
        Assert.Equal("4", Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[2].Outputs)).PlainText);
    }

    [Fact]
    public async Task Console_is_given_back_to_the_host_after_the_run()
    {
        var notebook = NotebookDocument.Load(Path.Combine(TestNotebookFolder.Fixtures, "lesson.dib"));
        var hostOut = Console.Out;

        await NotebookRunner.RunAsync(notebook, quick);

        Assert.Same(hostOut, Console.Out);
    }

    /// <summary>Writes a .dib notebook of C# <paramref name="cells"/> into <paramref name="folder"/> and loads it.</summary>
    internal static NotebookDocument Dib(TestNotebookFolder folder, string name, params string[] cells)
    {
        var path = folder.File(name + ".dib");
        File.WriteAllText(path, string.Concat(cells.Select(cell => "#!csharp\n\n" + cell + "\n\n")));
        return NotebookDocument.Load(path);
    }

    internal static bool ProcessIsGone(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.WaitForExit(5_000);
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }

    /// <summary>Compiles C# source into a class library at <paramref name="path"/>.</summary>
    internal static void EmitLibrary(string path, string source)
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = new[] { "System.Runtime.dll", "System.Private.CoreLib.dll" }
            .Select(name => MetadataReference.CreateFromFile(Path.Combine(frameworkDirectory, name)));
        var compilation = CSharpCompilation.Create(
            Path.GetFileNameWithoutExtension(path),
            [CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
    }
}
