namespace VirtLab.Experiments;

/// <summary>One host of an <see cref="OvercommitRatioSearch"/> walk: one mix at one vCPU:pCPU ratio.</summary>
/// <param name="Mix">The mix's <see cref="WorkloadMix.Name"/>.</param>
/// <param name="Vms">One-vCPU VMs on the host.</param>
/// <param name="Ratio">vCPUs per physical CPU as run: VMs / pCPUs.</param>
/// <param name="WorstReadyPercent">CPU ready time of the VM that waited most, as a percentage of the run: the figure the field's thresholds apply to, VM by VM.</param>
/// <param name="MeanReadyPercent">CPU ready %, averaged over the VMs (an average can hide one VM that waits a lot).</param>
/// <param name="Slowdown">How many times slower the VMs ran than at the walk's first step with their workload (operations per simulated second after the warm-up), averaged over the VMs; 1 means no slower.</param>
/// <param name="HostsPer100Vms">Hosts of this many pCPUs that 100 one-vCPU VMs need at this ratio: ⌈100 / (ratio × pCPUs)⌉ (arithmetic, not a measurement).</param>
public sealed record RatioSearchStep(
    [property: Column("mix")] string Mix,
    [property: Column("vms")] int Vms,
    [property: Column("ratio")] double Ratio,
    [property: Column("worst_ready_pct")] double WorstReadyPercent,
    [property: Column("mean_ready_pct")] double MeanReadyPercent,
    [property: Column("slowdown")] double Slowdown,
    [property: Column("hosts_per_100_vms")] int HostsPer100Vms);
