using System.Globalization;

namespace VirtLab.Hypervisor;

/// <summary>
/// A replaceable policy of a host (its vCPU scheduler, SMT placement, reclamation policy or
/// page-sharing scan) threw, or returned something the host cannot carry out. The message names
/// the policy, what it did, the member and the simulated time:
/// <c>policy 'round-robin' returned 'web/vcpu0', which is not runnable (it is Waiting), in PickNext at t=12.35 ms</c>.
/// The host checks every decision before acting on it, so nothing was changed by the bad one: no
/// frame is lost or counted twice, and no entity is on two threads. The host then stops for good:
/// <see cref="Host.PolicyFailure"/> keeps this exception and every later <see cref="Host.Step"/>
/// throws it again.
/// </summary>
public sealed class PolicyViolationException : Exception
{
    /// <summary>Records that policy <paramref name="policy"/> did <paramref name="problem"/> in <paramref name="member"/> at <paramref name="atMilliseconds"/>.</summary>
    public PolicyViolationException(string policy, string member, double atMilliseconds, string problem, Exception? inner = null)
        : base(string.Create(CultureInfo.InvariantCulture, $"policy '{policy}' {problem} in {member} at t={atMilliseconds:0.###} ms"), inner)
    {
        Policy = policy;
        Member = member;
        AtMilliseconds = atMilliseconds;
        Problem = problem;
    }

    /// <summary>The policy's name ("round-robin").</summary>
    public string Policy { get; }
    /// <summary>The member of the policy's interface that was running ("PickNext", "Reclaim").</summary>
    public string Member { get; }
    /// <summary>Simulated time of the violation, in ms.</summary>
    public double AtMilliseconds { get; }
    /// <summary>What the policy did ("returned 'web/vcpu0', which is not runnable (it is Waiting)").</summary>
    public string Problem { get; }
}
