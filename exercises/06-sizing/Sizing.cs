using VirtLab.Experiments;
using VirtLab.Grading.Sizing;

/// <summary>
/// Exercise 6, sizing under overcommit: how many VMs of a mix can share a host before their vCPUs
/// wait too long for a physical CPU? Read README.md first. <c>virtlab grade</c> calls
/// <see cref="MaxVms"/>; the other method is yours to use.
/// </summary>
public static class Sizing
{
    /// <summary>
    /// The largest number of VMs of <paramref name="problem"/>'s mix whose runs, from one VM up to
    /// that many, all keep the mean CPU ready below <see cref="SizingProblem.ReadyLimitPercent"/>
    /// (see <see cref="SizingProblem"/> for the exact definition).
    /// </summary>
    public static int MaxVms(SizingProblem problem)
    {
        // BEGIN SOLUTION
        // Scan up from one VM: the first count that misses the service level ends the search.
        for (int vms = 1; vms <= problem.MaxVms; vms++)
            if (MeanReadyPercent(problem, vms) >= problem.ReadyLimitPercent) return vms - 1;
        return problem.MaxVms;
        // END SOLUTION
    }

    /// <summary>The mean CPU ready, in percent, of the vCPUs of a run of <paramref name="vms"/> VMs.</summary>
    public static double MeanReadyPercent(SizingProblem problem, int vms)
    {
        // BEGIN SOLUTION
        var outcome = ExperimentRunner.Run(problem.CreateSpec(vms));
        var vcpus = outcome.Host.Vms.SelectMany(vm => vm.Vcpus).ToList();
        // Ready: runnable, waiting for a physical CPU; co-stop: held back to stay in step with sibling vCPUs.
        return vcpus.Average(v => 100.0 * (v.Sched.ReadyCycles + v.Sched.CoStopCycles) / outcome.Host.Now);
        // END SOLUTION
    }
}
