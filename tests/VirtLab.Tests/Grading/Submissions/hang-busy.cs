using VirtLab.Grading.Sizing;

public static class Sizing
{
    public static int MaxVms(SizingProblem problem)
    {
        long spins = 0;
        while (true) spins++;
    }
}
