using VirtLab.Grading.Sizing;

public static class Sizing
{
    public static int MaxVms(SizingProblem problem) => Deeper(problem, 0);

    private static int Deeper(SizingProblem problem, int depth) => Deeper(problem, depth + 1) + 1;
}
