namespace VirtLab.Fleet;

/// <summary>
/// The figures of one run, as the consolidation literature reports them (Beloglazov and Buyya 2012,
/// section 6.2):
/// <list type="bullet">
/// <item><b>SLATAH</b>, SLA violation time per active host: the fraction of its active time a host
/// spends saturated (its VMs ask for more CPU than it can give them), averaged over the hosts that
/// were ever on.</item>
/// <item><b>PDM</b>, performance degradation due to migration: the CPU a VM lost while migrating,
/// as a fraction of the CPU it asked for over the run, averaged over the VMs.</item>
/// <item><b>SLAV</b> = SLATAH x PDM, and <b>ESV</b> = energy (kWh) x SLAV.</item>
/// </list>
/// CloudSim's code pools SLATAH and PDM instead of averaging them (total saturated time over total
/// active time; total loss over total request); those are <see cref="SlatahPooledPercent"/> and
/// <see cref="PdmPooledPercent"/>.
/// </summary>
public sealed record FleetMetrics
{
    /// <summary>Energy the hosts drew over the run, in kWh.</summary>
    public required double EnergyKwh { get; init; }

    /// <summary>Live migrations over the run.</summary>
    public required int Migrations { get; init; }

    /// <summary>SLATAH in percent: saturated time over active time, averaged over hosts.</summary>
    public required double SlatahPercent { get; init; }

    /// <summary>PDM in percent: CPU lost to migration over CPU requested, averaged over VMs.</summary>
    public required double PdmPercent { get; init; }

    /// <summary>SLATAH x PDM, as a fraction (both factors as fractions).</summary>
    public double Slav => SlatahPercent / 100 * (PdmPercent / 100);

    /// <summary>Energy x SLAV (kWh x fraction): one number that punishes both waste and violations.</summary>
    public double Esv => EnergyKwh * Slav;

    /// <summary>SLATAH pooled as CloudSim computes it: all hosts' saturated time over all hosts' active time, in percent.</summary>
    public required double SlatahPooledPercent { get; init; }

    /// <summary>PDM pooled as CloudSim computes it: all VMs' migration loss over all VMs' request, in percent.</summary>
    public required double PdmPooledPercent { get; init; }

    /// <summary>CPU the VMs asked for but did not get because their host was saturated, over all they asked for, in percent (migration losses not included).</summary>
    public required double UnmetPercent { get; init; }

    /// <summary>Hosts on, averaged over the run (time-weighted).</summary>
    public required double MeanHostsOn { get; init; }

    /// <summary>The most hosts on at once in any interval.</summary>
    public required int MaxHostsOn { get; init; }

    /// <summary>Mean utilization of the hosts that are on, weighted by their time on (a measure of how full consolidation keeps them).</summary>
    public required double MeanUtilizationOfHostsOn { get; init; }
}
