namespace VirtLab.Experiments;

/// <summary>The time series of one mode of <see cref="Ballooning"/> (tables <c>vm_series</c> and <c>host_series</c>, with the mode in front).</summary>
/// <param name="Mode">One of <see cref="Ballooning.Modes"/>.</param>
/// <param name="VmSamples">Every VM at every sample.</param>
/// <param name="HostSamples">The host at every sample.</param>
public sealed record BallooningRun(string Mode, IReadOnlyList<VmSample> VmSamples, IReadOnlyList<HostSample> HostSamples);
