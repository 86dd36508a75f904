namespace VirtLab.Memory;

/// <summary>
/// Free-memory thresholds as fractions of the RAM available to VMs. ESX defaults: high 6%, soft 4%,
/// hard 2%, low 1%. Entering: Soft below <see cref="Soft"/>, Hard below <see cref="Hard"/>, Low
/// below <see cref="Low"/>. Leaving upward: Low→Hard at <see cref="Hard"/>, Hard→Soft at
/// <see cref="Soft"/>, Soft→High at <see cref="High"/>.
/// </summary>
public sealed record ReclamationThresholds(double High = 0.06, double Soft = 0.04, double Hard = 0.02, double Low = 0.01)
{
    /// <summary>The next state given the current one and the free fraction, with hysteresis.</summary>
    public ReclamationState Next(ReclamationState current, double free)
    {
        // Down: at once, as far as needed.
        var raw = free < Low ? ReclamationState.Low : free < Hard ? ReclamationState.Hard : free < Soft ? ReclamationState.Soft : ReclamationState.High;
        if (raw > current) return raw;
        // Up: one state at a time, and only past the threshold of the state above.
        return current switch
        {
            ReclamationState.Low when free >= Hard => ReclamationState.Hard,
            ReclamationState.Hard when free >= Soft => ReclamationState.Soft,
            ReclamationState.Soft when free >= High => ReclamationState.High,
            _ => current,
        };
    }
}
