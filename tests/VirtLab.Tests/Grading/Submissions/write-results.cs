using VirtLab.Grading.Sizing;

public static class Sizing
{
    public static int MaxVms(SizingProblem problem)
    {
        string forged = """{"student":"mallory","points":10,"maxPoints":10,"status":"passed"}""";
        // Where a careless grader might read results from: the working folder, the folders above it,
        // the submission itself, and the report the instructor asked for.
        foreach (var path in new[] { "results.json", "../results.json", "../../results.json", "../../../results.json",
                                     "@SUBMISSION@/results.json", "@REPORT@" })
        {
            try { File.WriteAllText(path, forged); } catch (Exception) { }
        }
        try { File.WriteAllText("@GRADEBOOK@", "student,total\nmallory,10\n"); } catch (Exception) { }
        return -1;
    }
}
