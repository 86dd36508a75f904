using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="IdleTax"/>, read from its rows.</summary>
public sealed class IdleTaxHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<IdleTaxRow> _rows;

    internal IdleTaxHeadline(IReadOnlyList<IdleTaxRow> rows) => _rows = rows;

    /// <summary>Pages <paramref name="vm"/> (<see cref="IdleTax.Idle"/> or <see cref="IdleTax.Active"/>) held at the end of the run with tax rate <paramref name="tau"/>.</summary>
    public int MappedEnd(double tau, string vm) => Row(tau, vm).MappedEnd;

    /// <summary>The active VM's throughput from its start with tax rate <paramref name="tau"/> (ops per simulated ms).</summary>
    public double ActiveOpsPerMillisecond(double tau) => Row(tau, IdleTax.Active).OpsPerMillisecond;

    /// <summary>Pages the active VM had to swap back in with tax rate <paramref name="tau"/>.</summary>
    public long ActiveSwapIns(double tau) => Row(tau, IdleTax.Active).SwapIns;

    private IdleTaxRow Row(double tau, string vm) => _rows.FirstOrDefault(r => r.Tau == tau && r.Vm == vm)
        ?? throw new KeyNotFoundException(Invariant($"no run of {vm} with tau {tau} (taus: {string.Join(", ", _rows.Select(r => r.Tau).Distinct())})"));

    internal override IEnumerable<(string Name, string Value)> Sentences() => _rows.Select(r => r.Tau).Distinct().Select(tau =>
        (Invariant($"tau {tau}: memory idle / active (pages)"),
         Invariant($"{MappedEnd(tau, IdleTax.Idle)} / {MappedEnd(tau, IdleTax.Active)}, active VM {ActiveOpsPerMillisecond(tau):F1} ops/ms, {ActiveSwapIns(tau)} swap-ins")));
}
