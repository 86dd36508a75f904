namespace VirtLab.Fleet;

/// <summary>
/// How much power a host draws at a given CPU load: watts measured at equally spaced loads (the 11
/// points 0 %, 10 %, ..., 100 % that SPECpower_ssj2008 publishes), with straight lines between
/// them. A real server draws most of its peak power when idle, which is why switching idle hosts
/// off saves far more than running them slower.
/// </summary>
public sealed class PowerModel
{
    private readonly double[] _watts;

    /// <summary>
    /// A model from <paramref name="watts"/> at equally spaced loads from 0 % to 100 % (at least two
    /// points; SPECpower gives eleven). The values may not decrease: more work never costs less power.
    /// </summary>
    public PowerModel(string name, params double[] watts)
    {
        if (watts.Length < 2) throw new ArgumentException($"power model {name}: needs watts at two loads at least (0 % and 100 %)", nameof(watts));
        for (int i = 0; i < watts.Length; i++)
        {
            if (!(watts[i] >= 0 && double.IsFinite(watts[i]))) throw new ArgumentOutOfRangeException(nameof(watts), $"power model {name}: {watts[i]} W is not a power");
            if (i > 0 && watts[i] < watts[i - 1]) throw new ArgumentException($"power model {name}: {watts[i]} W at {100.0 * i / (watts.Length - 1):0.#} % is below {watts[i - 1]} W at a lower load", nameof(watts));
        }
        Name = name;
        _watts = (double[])watts.Clone();
    }

    /// <summary>
    /// HP ProLiant ML110 G4 (Intel Xeon 3040, 2 cores at 1860 MHz), SPECpower_ssj2008 results as
    /// CloudSim codes them (PowerModelSpecPowerHpProLiantMl110G4Xeon3040): 86 W idle, 117 W at full load.
    /// </summary>
    public static PowerModel HpProLiantMl110G4 { get; } =
        new("HP ProLiant ML110 G4 (Xeon 3040)", 86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117);

    /// <summary>
    /// HP ProLiant ML110 G5 (Intel Xeon 3075, 2 cores at 2660 MHz), SPECpower_ssj2008 results as
    /// CloudSim codes them (PowerModelSpecPowerHpProLiantMl110G5Xeon3075): 93.7 W idle, 135 W at full load.
    /// </summary>
    public static PowerModel HpProLiantMl110G5 { get; } =
        new("HP ProLiant ML110 G5 (Xeon 3075)", 93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135);

    /// <summary>The server the measurements are of.</summary>
    public string Name { get; }

    /// <summary>The measured points, in watts, from 0 % to 100 % load.</summary>
    public IReadOnlyList<double> Points => _watts;

    /// <summary>Watts when switched on and idle (0 % load).</summary>
    public double IdleWatts => _watts[0];

    /// <summary>Watts at full load (100 %).</summary>
    public double PeakWatts => _watts[^1];

    /// <summary>
    /// Watts at <paramref name="utilization"/> (0..1; values outside are clamped: a host cannot run
    /// above 100 %), interpolated linearly between the two nearest measured points.
    /// </summary>
    public double Watts(double utilization)
    {
        double position = Math.Clamp(utilization, 0, 1) * (_watts.Length - 1);
        int below = Math.Min((int)position, _watts.Length - 2);
        return _watts[below] + (_watts[below + 1] - _watts[below]) * (position - below);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {IdleWatts:0.#} W idle, {PeakWatts:0.#} W at full load";
}
