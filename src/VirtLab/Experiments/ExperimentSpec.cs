using VirtLab.Hypervisor;
using VirtLab.Programs;

namespace VirtLab.Experiments;

/// <summary>
/// An experiment as <see cref="ExperimentRunner"/> runs it: a host, its VMs and their workloads, how
/// long to run, and how often to sample. The built-in experiments are made of these, and a notebook
/// writes its own the same way.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>The host: cores, RAM, kind of hypervisor, policies (its seed is replaced by <see cref="Seed"/>).</summary>
    public HostConfig Host { get; init; } = new();

    /// <summary>The VMs, created in this order (their names must differ).</summary>
    public IReadOnlyList<VmConfig> Vms { get; init; } = [];

    /// <summary>Simulated milliseconds to run.</summary>
    public double DurationMilliseconds { get; init; } = 200;

    /// <summary>Simulated milliseconds between samples of the series (the last sample may be closer to the one before).</summary>
    public double SampleMilliseconds { get; init; } = 10;

    /// <summary>Seed for everything random on the host: the same spec and seed always give the same series.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Called once after the VMs are created and before time starts, to set up what a VM
    /// configuration cannot say (for example a balloon target the operator sets by hand).
    /// </summary>
    public Action<Host>? Setup { get; init; }

    /// <summary>
    /// Guest programs that VMs boot instead of the guest kernel, by VM name: a lesson's own guest
    /// code (for example one sensitive instruction and a shutdown). VMs not named here boot the guest
    /// kernel and run their <see cref="VmConfig.Workload"/>.
    /// </summary>
    public IReadOnlyDictionary<string, ProgramImage> Programs { get; init; } = new Dictionary<string, ProgramImage>();

    /// <summary>
    /// Called after each sample has been recorded in the series, with the host: to record what the
    /// standard series leave out (an experiment's own columns), or to note when something happened.
    /// </summary>
    public Action<Host>? AfterSample { get; init; }

    /// <summary>Ends the run before <see cref="DurationMilliseconds"/> once it returns true; asked after each sample (for example: every VM has stopped).</summary>
    public Func<Host, bool>? StopWhen { get; init; }
}
