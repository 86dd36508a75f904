using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>One VM at one sample of an <see cref="IdleTax"/> run (table <c>memory_over_time</c>).</summary>
/// <param name="Tau">The tax rate of the run.</param>
/// <param name="TimeMilliseconds">When the sample was taken (simulated ms).</param>
/// <param name="Vm"><see cref="IdleTax.Idle"/> or <see cref="IdleTax.Active"/>.</param>
/// <param name="Mapped">Pages with a frame.</param>
/// <param name="ActiveEstimatePages">The hypervisor's estimate of its active memory (pages).</param>
/// <param name="Ballooned">Pages in its balloon.</param>
/// <param name="Swapped">Pages in the host swap area.</param>
/// <param name="Free">Free host frames.</param>
/// <param name="State">The host's reclamation state.</param>
public sealed record IdleTaxSample(
    [property: Column("tau")] double Tau,
    [property: Column("time_ms")] double TimeMilliseconds,
    [property: Column("vm")] string Vm,
    [property: Column("mapped")] int Mapped,
    [property: Column("active_est_pages")] int ActiveEstimatePages,
    [property: Column("ballooned")] int Ballooned,
    [property: Column("swapped")] int Swapped,
    [property: Column("free")] int Free,
    [property: Column("state")] ReclamationState State);
