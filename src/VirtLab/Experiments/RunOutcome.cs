using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// One run of an <see cref="ExperimentSpec"/>: the host as the run left it, and the series sampled
/// on the way, as typed samples (<see cref="VmSamples"/>, <see cref="HostSamples"/>) and as tables
/// (<see cref="VmSeries"/>, <see cref="HostSeries"/>) for CSV and charts.
/// </summary>
public sealed class RunOutcome
{
    private Table? _vmSeries, _hostSeries;

    internal RunOutcome(Host host, IReadOnlyList<VmSample> vmSamples, IReadOnlyList<HostSample> hostSamples)
    {
        Host = host;
        VmSamples = vmSamples;
        HostSamples = hostSamples;
    }

    /// <summary>The host at the end of the run: its VMs, their counters, its memory.</summary>
    public Host Host { get; }

    /// <summary>Every VM at every sample, in time order (the VMs of one sample in creation order).</summary>
    public IReadOnlyList<VmSample> VmSamples { get; }

    /// <summary>The host at every sample.</summary>
    public IReadOnlyList<HostSample> HostSamples { get; }

    /// <summary><see cref="VmSamples"/> as a table (columns <see cref="ExperimentRunner.VmColumns"/>).</summary>
    public Table VmSeries => _vmSeries ??= Table.From(VmSamples, "vm_series");

    /// <summary><see cref="HostSamples"/> as a table (columns <see cref="ExperimentRunner.HostColumns"/>).</summary>
    public Table HostSeries => _hostSeries ??= Table.From(HostSamples, "host_series");

    /// <summary>The samples of the VM called <paramref name="vm"/>, in time order.</summary>
    public IReadOnlyList<VmSample> SamplesOf(string vm)
    {
        var samples = VmSamples.Where(s => s.Vm == vm).ToList();
        return samples.Count > 0 ? samples : throw new KeyNotFoundException($"the run has no VM called '{vm}' (VMs: {string.Join(", ", VmSamples.Select(s => s.Vm).Distinct())})");
    }

    /// <summary>
    /// Operations per simulated second of <paramref name="vm"/> from the last sample at or before
    /// <paramref name="fromMilliseconds"/> (the warm-up left out) to the end of the run. If no later
    /// sample exists, over the whole run.
    /// </summary>
    public double OpsPerSecond(string vm, double fromMilliseconds)
    {
        var samples = SamplesOf(vm);
        var first = samples.LastOrDefault(s => s.TimeMilliseconds <= fromMilliseconds + 1e-9) ?? samples[0];
        var last = samples[^1];
        double ms = last.TimeMilliseconds - first.TimeMilliseconds;
        if (ms <= 0) { first = samples[0]; ms = last.TimeMilliseconds; }
        return (last.Progress - first.Progress) / (ms / 1000.0);
    }

    /// <summary>Operations <paramref name="vm"/> reported between the last sample at or before <paramref name="fromMilliseconds"/> (or the start) and the end of the run.</summary>
    public long OpsAfter(string vm, double fromMilliseconds)
    {
        var samples = SamplesOf(vm);
        var first = samples.LastOrDefault(s => s.TimeMilliseconds <= fromMilliseconds + 1e-9);
        return (long)(samples[^1].Progress - (first is null ? 0 : first.Progress));
    }
}
