using VirtLab.Notebooks;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// <c>#r "nuget: ..."</c> restores for real (dotnet build of a generated project), so these tests
/// need the package feed and take a few seconds the first time.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public class PackageReferenceTests
{
    [Fact]
    public async Task A_nuget_reference_is_restored_and_a_second_version_is_refused()
    {
        using var folder = new TestNotebookFolder("02-packages.ipynb");
        var notebook = NotebookDocument.Load(folder.File("02-packages.ipynb"));
        var options = new RunOptions { PackageCacheDirectory = folder.File("package-cache") };

        var result = await NotebookRunner.RunAsync(notebook, options);

        var installed = Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[1].Outputs));
        Assert.Contains("Humanizer.Core, 2.14.1", installed.PlainText);
        Assert.Equal("Some title for a lesson", Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[2].Outputs)).PlainText);
        var refused = Assert.IsType<ErrorOutput>(Assert.Single(notebook.Cells[3].Outputs));
        Assert.Contains("Humanizer.Core version 2.8.26 cannot be added because version 2.14.1 is already loaded", refused.Value);
        Assert.Equal([CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.Failed], result.Cells.Select(c => c.Status));

        // The restore is cached by package set: a second run does not build again.
        var cached = Directory.GetDirectories(folder.File("package-cache"));
        var rerun = NotebookDocument.Load(folder.File("02-packages.ipynb"));
        await NotebookRunner.RunAsync(rerun, options);
        Assert.Equal(cached, Directory.GetDirectories(folder.File("package-cache")));
        Assert.Equal("Some title for a lesson", Assert.IsType<DisplayOutput>(Assert.Single(rerun.Cells[2].Outputs)).PlainText);
    }

    [Fact]
    public async Task A_package_added_by_a_cell_that_does_not_compile_still_reaches_the_next_cell()
    {
        // Later submissions inherit references from the accepted ones; a cell that does not compile
        // is never accepted, so the session must carry the package's assemblies on to the next cell.
        using var folder = new TestNotebookFolder();
        var notebook = NotebookRunnerTests.Dib(folder, "broken-package-cell",
            "#r \"nuget: Humanizer.Core, 2.14.1\"\nthis is not C#",
            "using Humanizer;\n\"some_title_for_a_lesson\".Humanize()");

        var result = await NotebookRunner.RunAsync(notebook, new RunOptions { PackageCacheDirectory = folder.File("package-cache") });

        Assert.Contains(notebook.Cells[0].Outputs, output => output is ErrorOutput);
        Assert.Equal("some title for a lesson", Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[1].Outputs)).PlainText);
        Assert.Equal([CellStatus.Failed, CellStatus.Succeeded], result.Cells.Select(c => c.Status));
    }

    [Fact]
    public async Task A_package_that_does_not_exist_becomes_an_error_output()
    {
        using var folder = new TestNotebookFolder();
        var notebook = NotebookRunnerTests.Dib(folder, "missing", "#r \"nuget: VirtLab.This.Package.Does.Not.Exist, 1.0.0\"");

        var result = await NotebookRunner.RunAsync(notebook, new RunOptions { PackageCacheDirectory = folder.File("package-cache") });

        Assert.Contains("package restore failed", Assert.IsType<ErrorOutput>(Assert.Single(notebook.Cells[0].Outputs)).Value);
        Assert.False(result.Succeeded);
    }
}
