using VirtLab.Experiments;

namespace VirtLab.Fleet;

/// <summary>
/// One VM of a <see cref="HostZoom"/> replay: what the fleet model said it would get, beside what
/// the credit scheduler gave it when its guest ran with a duty cycle that follows its trace.
/// </summary>
/// <param name="Vm">The VM's name in the fleet.</param>
/// <param name="TracePercent">Its trace value in the interval: percent of its own MIPS.</param>
/// <param name="DemandMips">What it asked for in the fleet model, in MIPS.</param>
/// <param name="DutyPercent">The guest's duty cycle: the share of one core it asks for (demand over the host's MIPS per core), rounded to whole timer ticks of its period.</param>
/// <param name="ModelServedPercent">The fleet model's grant over demand, in percent: 100 unless the host is saturated.</param>
/// <param name="ServedPercent">Measured: operations the guest completed on the shared host over those it completed with a core to itself, in percent.</param>
/// <param name="ReadyPercent">Measured: time its vCPU was runnable but waited for a core (CPU ready, with co-stop), in percent of the measured time.</param>
/// <param name="Slowdown">Measured: its throughput with a core to itself over its throughput on the shared host (1 = no slowdown).</param>
public sealed record HostZoomVm(
    [property: Column("vm")] string Vm,
    [property: Column("trace_pct")] double TracePercent,
    [property: Column("demand_mips")] double DemandMips,
    [property: Column("duty_pct")] double DutyPercent,
    [property: Column("model_served_pct")] double ModelServedPercent,
    [property: Column("served_pct")] double ServedPercent,
    [property: Column("ready_pct")] double ReadyPercent,
    [property: Column("slowdown")] double Slowdown);
