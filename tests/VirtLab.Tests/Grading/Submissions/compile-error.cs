using VirtLab.Grading.Sizing;

public static class Sizing
{
    public static int MaxVms(SizingProblem problem)
    {
        int vms = problem.MaxVms
        return vms;
    }
}
