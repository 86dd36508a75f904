using VirtLab.Grading.Exercises;

namespace VirtLab.Tests.Grading;

public class SolutionRegionsTests
{
    [Fact]
    public void A_csharp_region_becomes_the_stub_at_the_markers_indentation()
    {
        string source = "class A\n{\n    int F()\n    {\n        // BEGIN SOLUTION\n        return 42;\n        // END SOLUTION\n    }\n}\n";
        string stripped = SolutionRegions.Strip(source, "A.cs");
        Assert.Equal("class A\n{\n    int F()\n    {\n        // YOUR CODE HERE\n        throw new NotImplementedException();\n    }\n}\n", stripped);
    }

    [Fact]
    public void Markdown_regions_and_hidden_test_regions_vanish_and_crlf_is_kept()
    {
        string source = "# Task\r\n<!-- BEGIN SOLUTION -->\r\nThe answer is 7.\r\n<!-- END SOLUTION -->\r\nGraded: 10 points.\r\n";
        Assert.Equal("# Task\r\nGraded: 10 points.\r\n", SolutionRegions.Strip(source, "README.md"));
        string tests = "a\n# BEGIN HIDDEN TESTS\nsecret\n# END HIDDEN TESTS\nb";
        Assert.Equal("a\nb", SolutionRegions.Strip(tests, "checks.sh"));
        Assert.Equal(1, SolutionRegions.Count(tests));
    }

    [Fact]
    public void Markers_only_count_on_comment_lines_of_their_own()
    {
        // Prose that mentions the markers is not a region.
        string text = "Put your code between BEGIN SOLUTION and END SOLUTION markers.\nvar s = \"// BEGIN SOLUTION\";\n";
        Assert.False(SolutionRegions.HasMarkers(text));
        Assert.Equal(text, SolutionRegions.Strip(text, "x.cs"));
    }

    [Theory]
    [InlineData("a\n// BEGIN SOLUTION\nb\n", "x.cs: line 2: BEGIN SOLUTION is never closed")]
    [InlineData("a\n// END SOLUTION\n", "x.cs: line 2: END SOLUTION without a BEGIN SOLUTION")]
    [InlineData("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n", "x.cs: line 2: BEGIN SOLUTION inside the SOLUTION region opened on line 1")]
    [InlineData("// BEGIN SOLUTION\n// END HIDDEN TESTS\n", "x.cs: line 2: END HIDDEN TESTS closes the SOLUTION region opened on line 1")]
    public void Malformed_regions_are_refused_with_file_and_line(string text, string message)
    {
        var e = Assert.Throws<ExerciseFormatException>(() => SolutionRegions.Strip(text, "x.cs"));
        Assert.Equal(message, e.Message);
    }
}
