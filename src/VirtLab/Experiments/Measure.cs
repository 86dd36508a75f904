namespace VirtLab.Experiments;

/// <summary>Small arithmetic the experiments share.</summary>
internal static class Measure
{
    /// <summary><paramref name="part"/> as a percentage of <paramref name="whole"/>; 0 when the whole is 0.</summary>
    public static double Percent(double part, double whole) => whole > 0 ? 100 * part / whole : 0;
}
