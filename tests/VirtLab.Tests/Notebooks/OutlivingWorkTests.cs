using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// Tasks and threads that a cell starts and that outlive it: what they write and what they throw
/// belongs to that cell, never to the cell that happens to run next.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public class OutlivingWorkTests
{
    private static readonly RunOptions quick = new() { CellTimeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task What_a_task_writes_after_its_cell_ended_goes_to_that_cell_not_the_next()
    {
        using var folder = new TestNotebookFolder();
        // The second cell lets the first cell's task go and waits until it has written. display()
        // sends at once and sends the task's pending console text before it, so no timing is involved.
        var notebook = NotebookRunnerTests.Dib(folder, "late",
            "var go = new System.Threading.ManualResetEventSlim();\nvar written = new System.Threading.ManualResetEventSlim();\n"
            + "_ = Task.Run(() => { go.Wait(); Console.WriteLine(\"late text\"); display(\"late display\"); written.Set(); });\nConsole.WriteLine(\"first\");",
            "Console.WriteLine(\"second\");\ngo.Set();\nwritten.Wait();",
            "Console.WriteLine(\"third\");");

        var result = await NotebookRunner.RunAsync(notebook, quick);

        Assert.All(result.Cells, cell => Assert.Equal(CellStatus.Succeeded, cell.Status));
        var first = notebook.Cells[0].Outputs;
        Assert.Equal(new StreamOutput("stdout", "first\nlate text\n"), first[0]);
        Assert.Equal("late display", Assert.IsType<DisplayOutput>(first[1]).PlainText);
        Assert.Equal(2, first.Count);
        Assert.Equal([new StreamOutput("stdout", "second\n")], notebook.Cells[1].Outputs);
        Assert.Equal([new StreamOutput("stdout", "third\n")], notebook.Cells[2].Outputs);
    }

    [Fact]
    public async Task A_thread_an_earlier_cell_started_that_throws_is_that_cells_error_and_the_running_cell_is_told_it_was_not_its_doing()
    {
        using var folder = new TestNotebookFolder();
        var notebook = NotebookRunnerTests.Dib(folder, "thrown",
            "var go = new System.Threading.ManualResetEventSlim();\n"
            + "new System.Threading.Thread(() => { go.Wait(); throw new InvalidOperationException(\"from the first cell's thread\"); }).Start();\nConsole.WriteLine(\"started\");",
            "go.Set();\nSystem.Threading.Thread.Sleep(60_000);",
            "Console.WriteLine(\"in a fresh process\");");

        var result = await NotebookRunner.RunAsync(notebook, quick);

        Assert.Equal([CellStatus.Succeeded, CellStatus.Crashed, CellStatus.Succeeded], result.Cells.Select(c => c.Status));
        var first = notebook.Cells[0].Outputs;
        Assert.Equal(new StreamOutput("stdout", "started\n"), first[0]);
        var own = Assert.IsType<ErrorOutput>(first[1]);
        Assert.Equal("a thread or task this cell started threw System.InvalidOperationException: from the first cell's thread after the cell had finished; "
                     + "nothing caught it, so it ended the C# process and the notebook's state was reset", own.Value);
        Assert.Contains(own.Traceback, line => line.Contains("System.InvalidOperationException: from the first cell's thread", StringComparison.Ordinal));
        var blamed = Assert.IsType<ErrorOutput>(Assert.Single(notebook.Cells[1].Outputs));
        Assert.StartsWith("a thread or task that an earlier cell started threw an exception that nothing caught, and that ended the C# process while this cell ran (aborted (SIGABRT): ", blamed.Value);
        Assert.Contains("from the first cell's thread", blamed.Value);
        Assert.Equal([new StreamOutput("stdout", "in a fresh process\n")], notebook.Cells[2].Outputs);
    }

    [Fact]
    public async Task A_process_that_a_cells_thread_ended_between_cells_is_reported_by_the_next_cell_as_ended_before_it_ran()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        var processId = await kernel.GetProcessIdAsync();
        var first = new List<CellOutput>();
        var thrown = new TaskCompletionSource();
        var status = await kernel.ExecuteAsync(
            "new System.Threading.Thread(() => { System.Threading.Thread.Sleep(200); throw new InvalidOperationException(\"between cells\"); }).Start();",
            output =>
            {
                first.Add(output);
                thrown.TrySetResult();
            },
            TimeSpan.FromSeconds(60));
        Assert.Equal(CellStatus.Succeeded, status);
        await thrown.Task.WaitAsync(TimeSpan.FromSeconds(60)); // the late error reached the first cell
        Assert.True(NotebookRunnerTests.ProcessIsGone(processId));

        var second = new List<CellOutput>();
        Assert.Equal(CellStatus.Crashed, await kernel.ExecuteAsync("1 + 1", second.Add, TimeSpan.FromSeconds(60)));

        Assert.StartsWith("a thread or task this cell started threw System.InvalidOperationException: between cells after the cell had finished",
            Assert.IsType<ErrorOutput>(Assert.Single(first)).Value);
        Assert.StartsWith("a thread or task that an earlier cell started threw an exception that nothing caught, and that ended the C# process before this cell ran (aborted (SIGABRT): ",
            Assert.IsType<ErrorOutput>(Assert.Single(second)).Value);
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync("1 + 1", second.Add, TimeSpan.FromSeconds(60)));
    }
}
