namespace VirtLab.Experiments;

/// <summary>The time series of one host of <see cref="MemoryOvercommit"/> (tables <c>vm_series</c> and <c>host_series</c>, with setting and ratio in front).</summary>
/// <param name="Setting">The reclamation setting.</param>
/// <param name="Ratio">The overcommit ratio.</param>
/// <param name="VmSamples">Every VM at every sample.</param>
/// <param name="HostSamples">The host at every sample.</param>
public sealed record MemoryOvercommitRun(ReclamationSetting Setting, double Ratio, IReadOnlyList<VmSample> VmSamples, IReadOnlyList<HostSample> HostSamples);
