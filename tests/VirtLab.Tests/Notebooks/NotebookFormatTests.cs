using System.Text.Json.Nodes;
using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

public class NotebookFormatTests
{
    [Fact]
    public void Ipynb_cells_take_their_kernel_from_polyglot_metadata_then_dotnet_interactive_then_the_default()
    {
        const string json = """
            {"cells": [
              {"cell_type": "code", "id": "a", "metadata": {"polyglot_notebook": {"kernelName": "fsharp"}, "dotnet_interactive": {"language": "csharp"}}, "outputs": [], "source": ["1"]},
              {"cell_type": "code", "id": "b", "metadata": {"dotnet_interactive": {"language": "pwsh"}}, "outputs": [], "source": "2"},
              {"cell_type": "code", "id": "c", "metadata": {}, "outputs": [], "source": []},
              {"cell_type": "markdown", "id": "d", "metadata": {}, "source": ["# Title\n", "text"]}
            ],
             "metadata": {"polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp"}}}, "nbformat": 4, "nbformat_minor": 5}
            """;
        var path = Path.Combine(Path.GetTempPath(), $"kernels-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, json);
        try
        {
            var notebook = NotebookDocument.Load(path);

            Assert.Equal(["fsharp", "pwsh", "csharp", "markdown"], notebook.Cells.Select(c => c.KernelName));
            Assert.Equal(CellKind.Markdown, notebook.Cells[3].Kind);
            Assert.Equal("# Title\ntext", notebook.Cells[3].Source);
            Assert.Equal("Title", notebook.Title);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Dib_files_split_into_cells_at_kernel_lines_and_keep_magic_commands()
    {
        var notebook = NotebookDocument.Load(Path.Combine(TestNotebookFolder.Fixtures, "lesson.dib"));

        Assert.Equal(NotebookFormat.Dib, notebook.Format);
        Assert.Equal([CellKind.Markdown, CellKind.Code, CellKind.Code], notebook.Cells.Select(c => c.Kind));
        Assert.Equal("A lesson in .dib", notebook.Title);
        Assert.StartsWith("#!time\nvar numbers", notebook.Cells[1].Source);
        Assert.Equal("numbers.Count", notebook.Cells[2].Source); // blank lines trimmed, #!c# is C#
        Assert.True(notebook.Cells[2].IsCSharp);
        Assert.Equal("csharp", notebook.Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>());
    }

    [Fact]
    public void Saved_notebooks_have_the_shape_VS_Code_writes_and_read_back_the_same()
    {
        var notebook = NotebookDocument.Load(Path.Combine(TestNotebookFolder.Fixtures, "01-basics.ipynb"));
        var code = notebook.Cells[1];
        code.ExecutionCount = 1;
        code.Outputs.Add(new StreamOutput("stdout", "line one\nline two\n"));
        code.Outputs.Add(new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "42", ["text/html"] = "<b>42</b>" }));
        code.Outputs.Add(ErrorOutput.FromMessage("(1,1): error CS0103: The name 'x' does not exist in the current context"));

        var json = NotebookWriter.ToJson(notebook);
        var root = JsonNode.Parse(json)!.AsObject();

        Assert.StartsWith("{\n \"cells\": [\n  {\n   \"cell_type\"", json.ReplaceLineEndings("\n")); // one-space indent, sorted keys
        Assert.Equal(4, root["nbformat"]!.GetValue<int>());
        Assert.Equal(5, root["nbformat_minor"]!.GetValue<int>());
        Assert.Equal(KernelNames.KernelSpecName, root["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        var cell = root["cells"]![1]!.AsObject();
        Assert.Equal(["cell_type", "execution_count", "id", "metadata", "outputs", "source"], cell.Select(p => p.Key));
        Assert.Equal("c1", cell["id"]!.GetValue<string>());
        Assert.Equal("csharp", cell["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        var outputs = cell["outputs"]!.AsArray();
        Assert.Equal("stream", outputs[0]!["output_type"]!.GetValue<string>());
        Assert.Equal(["line one\n", "line two\n"], outputs[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("display_data", outputs[1]!["output_type"]!.GetValue<string>());
        Assert.Equal(["text/html", "text/plain"], outputs[1]!["data"]!.AsObject().Select(p => p.Key));
        Assert.Equal("error", outputs[2]!["output_type"]!.GetValue<string>());
        Assert.Equal("Error", outputs[2]!["ename"]!.GetValue<string>());
        Assert.NotNull(outputs[2]!["traceback"]!.AsArray());

        var path = Path.Combine(Path.GetTempPath(), $"roundtrip-{Guid.NewGuid():N}.ipynb");
        try
        {
            NotebookWriter.Save(notebook, path);
            var reread = NotebookDocument.Load(path);
            Assert.Equal(notebook.Cells.Select(c => (c.Id, c.Kind, c.KernelName, c.Source)), reread.Cells.Select(c => (c.Id, c.Kind, c.KernelName, c.Source)));
            Assert.Equal(code.Outputs[0], reread.Cells[1].Outputs[0]);
            Assert.Equal("<b>42</b>", ((DisplayOutput)reread.Cells[1].Outputs[1]).Html);
            Assert.Equal(((ErrorOutput)code.Outputs[2]).Value, ((ErrorOutput)reread.Cells[1].Outputs[2]).Value);
            Assert.Equal(json, NotebookWriter.ToJson(reread)); // stable: saving again changes nothing
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_dib_notebook_is_saved_as_ipynb_with_polyglot_metadata()
    {
        var notebook = NotebookDocument.Load(Path.Combine(TestNotebookFolder.Fixtures, "lesson.dib"));

        var root = JsonNode.Parse(NotebookWriter.ToJson(notebook))!.AsObject();

        Assert.Equal("C#", root["metadata"]!["kernelspec"]!["language"]!.GetValue<string>());
        Assert.All(root["cells"]!.AsArray(), cell => Assert.False(string.IsNullOrEmpty(cell!["id"]?.GetValue<string>())));
        Assert.Equal("csharp", root["cells"]![1]!["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\n \"cells\": [\n  {\"cell_type\": \"code\",}\n ]\n}", "bad.ipynb:3:", "not valid JSON")]
    [InlineData("[1, 2]", "bad.ipynb: not a notebook: the file holds a list", null)]
    [InlineData("{\"cells\": [{\"cell_type\": \"code\", \"source\": 42}]}", "bad.ipynb: cell 1, $.cells[0].source: expected a string or a list of strings", null)]
    [InlineData("{\"cells\": [\"text\"]}", "bad.ipynb: cell 1 ($.cells[0]): expected a JSON object, found a string", null)]
    [InlineData("{\"worksheets\": []}", "bad.ipynb: an nbformat 3 notebook", null)]
    public void A_malformed_ipynb_names_the_file_and_the_place_at_fault(string json, string expectedStart, string? expectedAlso)
    {
        var folder = Path.Combine(Path.GetTempPath(), "virtlab-bad-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "bad.ipynb"), json);
            var error = Assert.Throws<NotebookFormatException>(() => NotebookDocument.Load(Path.Combine(folder, "bad.ipynb")));
            Assert.StartsWith(Path.Combine(folder, expectedStart), error.Message);
            if (expectedAlso is not null) Assert.Contains(expectedAlso, error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Notebook_run_reports_a_malformed_notebook_with_its_position_and_runs_the_others()
    {
        using var folder = new TestNotebookFolder("lesson.dib");
        File.WriteAllText(folder.File("bad.ipynb"), "{\"cells\": [\n  {\"cell_type\": \"code\" \"source\": []}\n]}");

        var result = VirtLab.Tests.Cli.CliHarness.Run("notebook", "run", folder.File("bad.ipynb"), folder.File("lesson.dib"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"virtlab notebook run: cannot read {folder.File("bad.ipynb")}:2:", result.Error);
        Assert.DoesNotContain("internal error", result.Error);
        Assert.True(File.Exists(folder.File("lesson.ipynb")), "the good notebook still ran and was saved");
    }
}
