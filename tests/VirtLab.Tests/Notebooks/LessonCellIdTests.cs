using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// The lessons declare nbformat 4.5, whose schema requires every cell to have an id (unique in
/// the notebook, 1 to 64 letters, digits, '-' or '_'); nbformat warns today and will refuse later.
/// Checked on the files as they are in the repository, before any runner has filled ids in.
/// </summary>
public class LessonCellIdTests
{
    private static readonly Regex ValidId = new("^[a-zA-Z0-9_-]{1,64}$");

    [Fact]
    public void Every_cell_of_every_lesson_has_a_unique_valid_id()
    {
        var lessons = Directory.GetFiles(Path.Combine(CourseFixture.FindRepositoryRoot(), "notebooks"), "*.ipynb");
        Assert.NotEmpty(lessons);
        foreach (var path in lessons)
        {
            var notebook = JsonNode.Parse(File.ReadAllText(path))!;
            var ids = new HashSet<string>();
            var cells = notebook["cells"]!.AsArray();
            for (int i = 0; i < cells.Count; i++)
            {
                string? id = cells[i]!["id"]?.GetValue<string>();
                Assert.True(id is not null && ValidId.IsMatch(id), $"{Path.GetFileName(path)}: cell {i} has no valid id ({id ?? "none"})");
                Assert.True(ids.Add(id!), $"{Path.GetFileName(path)}: cell {i} repeats id '{id}'");
            }
        }
    }
}
