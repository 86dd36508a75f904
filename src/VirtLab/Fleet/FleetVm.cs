namespace VirtLab.Fleet;

/// <summary>
/// One VM of the fleet: its type (the allocation) and its trace (the demand). In interval k it asks
/// for <c>trace[k] % x</c> its type's MIPS.
/// </summary>
/// <param name="Name">For tables; by default the trace's name.</param>
/// <param name="Type">What the VM was given.</param>
/// <param name="Trace">What it uses, interval by interval.</param>
public sealed record FleetVm(string Name, VmType Type, Trace Trace)
{
    /// <summary>A VM named after its trace.</summary>
    public FleetVm(VmType type, Trace trace) : this(trace.Name, type, trace) { }

    /// <summary>The MIPS the VM asks for in interval <paramref name="interval"/>.</summary>
    public double DemandMips(int interval) => Trace.CpuValues[interval] / 100 * Type.TotalMips;

    /// <summary>
    /// The MIPS the VM asks for on average over the trace: set against <see cref="VmType.TotalMips"/>,
    /// how much of its allocation it really uses (the basis of right-sizing).
    /// </summary>
    public double MeanDemandMips => Trace.MeanCpuPercent / 100 * Type.TotalMips;

    /// <summary>
    /// The allocation that would have covered the VM's demand in <paramref name="fraction"/> of the
    /// intervals (0.95: all but the busiest 5 %), in MIPS: right-sizing from measured use.
    /// </summary>
    public double RightSizedMips(double fraction = 0.95) => Trace.CpuPercentile(fraction) / 100 * Type.TotalMips;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Type.Name})";
}
