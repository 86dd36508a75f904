using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// Cells that declare nothing run as collectible submissions, which the process forgets afterwards;
/// to the student they behave like any other cell.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public class CollectibleCellTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private const string RunsCollectible =
        "System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(System.Reflection.Assembly.GetExecutingAssembly())!.IsCollectible";

    [Fact]
    public async Task A_cell_that_declares_nothing_is_collectible_and_one_that_declares_is_kept()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        Assert.Equal("True", await Result(kernel, RunsCollectible));
        Assert.Equal("False", await Result(kernel, $"var kept = {RunsCollectible};\nkept"));
        // Each of these makes a field of the script, so a later cell could name it.
        Assert.Equal("False", await Result(kernel, $"int.TryParse(\"1\", out var parsed);\n{RunsCollectible}"));
        Assert.Equal("False", await Result(kernel, $"if (parsed is int matched) {{ }}\n{RunsCollectible}"));
        Assert.Equal("False", await Result(kernel, $"int Twice(int n) => 2 * n;\n{RunsCollectible}"));
        Assert.Equal("False", await Result(kernel, $"using System.IO;\n{RunsCollectible}"));
        Assert.Equal("False", await Result(kernel, $"class Point {{ public int X; }}\n{RunsCollectible}"));
        Assert.Equal("True", await Result(kernel, $"Console.Write(new Point {{ X = Twice(parsed) }}.X + Path.GetFileName(\"a/b\"));\n{RunsCollectible}"));
    }

    [Fact]
    public async Task A_collectible_cell_changes_the_notebooks_variables_and_what_it_leaves_in_them_lives_on()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync("var total = 1;\nFunc<int> later = null;", _ => { }, Limit));
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync("total += 41;\nlater = () => total * 10;", _ => { }, Limit));
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync(Collect, _ => { }, Limit));
        // The lambda's code lives in the collectible cell's assembly, which the field keeps loaded.
        Assert.Equal("420", await Result(kernel, "later()"));
    }

    [Fact]
    public async Task Collectible_cells_are_unloaded_after_they_ran()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync("var total = 0;", _ => { }, Limit));
        for (var i = 0; i < 30; i++)
            Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync($"total += {i};", _ => { }, Limit));
        Assert.Equal(CellStatus.Succeeded, await kernel.ExecuteAsync(Collect, _ => { }, Limit));
        // Only the cell that counts is still loaded.
        Assert.Equal("435 1", await Result(kernel, "$\"{total} {System.Runtime.Loader.AssemblyLoadContext.All.Count(c => c.IsCollectible)}\""));
    }

    [Fact]
    public async Task A_collectible_cell_reports_its_compile_errors_and_exceptions_as_any_cell_does()
    {
        await using var kernel = await CSharpKernel.StartAsync(new CSharpKernelOptions { WorkingDirectory = Path.GetTempPath() });
        var outputs = new List<CellOutput>();
        Assert.Equal(CellStatus.Failed, await kernel.ExecuteAsync("Console.WriteLine(undefinedThing);", outputs.Add, Limit));
        Assert.Contains("(1,19): error CS0103: The name 'undefinedThing' does not exist in the current context", Assert.IsType<ErrorOutput>(Assert.Single(outputs)).Value);

        outputs.Clear();
        Assert.Equal(CellStatus.Failed, await kernel.ExecuteAsync("Console.WriteLine(\"before\");\nthrow new InvalidOperationException(\"thrown on line 2\");", outputs.Add, Limit));
        Assert.Equal(new StreamOutput("stdout", "before\n"), outputs[0]);
        var error = Assert.IsType<ErrorOutput>(outputs[1]);
        Assert.Equal("System.InvalidOperationException: thrown on line 2", error.Value);
        Assert.Contains(error.Traceback, line => line.EndsWith(":line 2"));
    }

    private const string Collect = "for (var i = 0; i < 10; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }";

    private static async Task<string?> Result(CSharpKernel kernel, string code)
    {
        var outputs = new List<CellOutput>();
        var status = await kernel.ExecuteAsync(code, outputs.Add, Limit);
        Assert.True(status == CellStatus.Succeeded, $"{code}: {status} {string.Join(" ", outputs)}");
        return outputs.OfType<DisplayOutput>().Single().Data["text/plain"];
    }
}
