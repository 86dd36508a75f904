using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary><c>Console.ReadLine()</c> in a cell: a line from whoever can type one, or the end of input.</summary>
[Collection(NotebookRunnerCollection.Name)]
public class ConsoleInputTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_line_the_cell_reads_is_asked_of_the_input_source_after_the_prompt_it_printed()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        var outputs = new List<CellOutput>();
        var shownWhenAsked = new List<string>();
        var status = await kernel.ExecuteAsync(
            "Console.Write(\"name? \");\nvar name = Console.ReadLine();\nvar first = (char)Console.Read();\nvar rest = Console.ReadLine();\nConsole.WriteLine($\"hello {name}, {first}|{rest}\");",
            outputs.Add, Limit,
            input: prompt =>
            {
                shownWhenAsked.Add(string.Concat(outputs.OfType<StreamOutput>().Select(o => o.Text)));
                return Task.FromResult<string?>(shownWhenAsked.Count == 1 ? "Ada" : "xyz");
            });

        Assert.Equal(CellStatus.Succeeded, status);
        Assert.Equal(["name? ", "name? "], shownWhenAsked); // the prompt went out before the first question; Read asked once for "xyz"
        Assert.Equal("name? hello Ada, x|yz\n", string.Concat(outputs.OfType<StreamOutput>().Select(o => o.Text)));
    }

    [Fact]
    public async Task Without_an_input_source_a_cell_reads_the_end_of_input_at_once_in_the_kernel_and_the_runner()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        var outputs = new List<CellOutput>();
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync("Console.WriteLine(Console.ReadLine() is null && Console.Read() == -1);", outputs.Add, Limit));
        Assert.Equal([new StreamOutput("stdout", "True\n")], outputs);

        using var folder = new TestNotebookFolder();
        var notebook = NotebookRunnerTests.Dib(folder, "input", "Console.WriteLine(Console.ReadLine() ?? \"end of input\");");
        await NotebookRunner.RunAsync(notebook, new RunOptions { CellTimeout = Limit });
        Assert.Equal([new StreamOutput("stdout", "end of input\n")], notebook.Cells[0].Outputs);
    }

    [Fact]
    public async Task An_interrupt_stops_a_cell_that_waits_for_a_line_and_the_notebook_keeps_its_state()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync("var kept = 41;", _ => { }, Limit));
        var asked = new TaskCompletionSource();
        var outputs = new List<CellOutput>();
        var waiting = kernel.ExecuteAsync("var line = Console.ReadLine();", outputs.Add, Limit, input: _ =>
        {
            asked.TrySetResult();
            return new TaskCompletionSource<string?>().Task; // nobody ever types
        });
        await asked.Task.WaitAsync(Limit);
        kernel.Interrupt();

        Assert.Equal(CellStatus.Interrupted, await waiting);
        Assert.Equal("the cell was interrupted", Assert.IsType<ErrorOutput>(Assert.Single(outputs)).Value);
        var after = new List<CellOutput>();
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync("kept + 1", after.Add, Limit));
        Assert.Equal("42", Assert.IsType<DisplayOutput>(Assert.Single(after)).PlainText);
        Assert.Equal(0, kernel.Replacements);
    }
}
