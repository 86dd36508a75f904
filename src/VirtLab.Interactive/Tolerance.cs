using System.Globalization;

namespace VirtLab.Interactive;

/// <summary>
/// How close a student's number must be to the computed answer of a self-check question to count
/// as right: exactly, within an absolute margin (<c>± 0.5</c>), or within a fraction of the answer
/// (<c>± 2 %</c>).
/// <para>
/// Pick the margin from the measurement, not from taste: a count of exits read off a table is
/// exact; a percentage read off a chart needs the margin a careful reader's eye has (a few percent).
/// </para>
/// <example>
/// <code>
/// Tolerance.Exact             // 1234 only (integers, or text answers)
/// Tolerance.Absolute(0.5)     // 12.0 accepts 11.5 .. 12.5
/// Tolerance.Relative(0.02)    // 1000 accepts 980 .. 1020
/// </code>
/// </example>
/// </summary>
public sealed class Tolerance
{
    /// <summary>
    /// The margin "exact" still allows for binary floating point: a student who computes
    /// <c>0.1 + 0.2</c> should match an answer of <c>0.3</c>.
    /// </summary>
    private const double FloatingPointSlack = 1e-9;

    private readonly double absolute;
    private readonly double relative;

    private Tolerance(double absolute, double relative)
    {
        this.absolute = absolute;
        this.relative = relative;
    }

    /// <summary>Only the answer itself (up to floating-point rounding). The default, and the only form for text and choice answers.</summary>
    public static Tolerance Exact { get; } = new(0, 0);

    /// <summary>Accepts answers within <paramref name="margin"/> of the computed one, in the answer's own unit.</summary>
    public static Tolerance Absolute(double margin) =>
        double.IsFinite(margin) && margin > 0 ? new(margin, 0) : throw new ArgumentOutOfRangeException(nameof(margin), margin, "an absolute tolerance must be a positive number");

    /// <summary>Accepts answers within <paramref name="fraction"/> of the computed one (0.02 means ± 2 %).</summary>
    public static Tolerance Relative(double fraction) =>
        double.IsFinite(fraction) && fraction > 0 && fraction < 1 ? new(0, fraction) : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a relative tolerance must be a fraction between 0 and 1 (0.02 means ± 2 %)");

    /// <summary>True for <see cref="Exact"/>.</summary>
    public bool IsExact => absolute == 0 && relative == 0;

    /// <summary>True when <paramref name="given"/> counts as <paramref name="expected"/>.</summary>
    public bool Accepts(double expected, double given)
    {
        if (!double.IsFinite(given)) return false;
        double margin = absolute + relative * Math.Abs(expected) + FloatingPointSlack * Math.Max(1, Math.Abs(expected));
        return Math.Abs(given - expected) <= margin;
    }

    /// <summary>
    /// <paramref name="value"/> written with just enough digits for this tolerance: the rounding
    /// moves it by at most a tenth of the margin, so the printed answer is itself accepted.
    /// Exact answers keep every digit.
    /// </summary>
    public string Format(double value)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (!double.IsFinite(value)) return value.ToString(invariant);
        if (IsExact) return value == Math.Round(value) && Math.Abs(value) < 1e15 ? value.ToString("0", invariant) : value.ToString("R", invariant);
        if (value == 0) return "0";
        // Rounding to d decimals moves the value by at most half of 10^-d; keep that within a tenth of the margin.
        double margin = absolute > 0 ? absolute : relative * Math.Abs(value);
        int decimals = (int)Math.Ceiling(-Math.Log10(2 * margin / 10));
        if (decimals <= 0)
        {
            double unit = Math.Pow(10, -decimals);
            return (Math.Round(value / unit) * unit).ToString("0", invariant);
        }
        return Math.Round(value, Math.Min(decimals, 15)).ToString("0." + new string('#', Math.Min(decimals, 15)), invariant);
    }

    /// <summary><c>exact</c>, <c>± 0.5</c> or <c>± 2 %</c>.</summary>
    public override string ToString() =>
        IsExact ? "exact"
        : absolute > 0 ? "± " + absolute.ToString("G6", CultureInfo.InvariantCulture)
        : "± " + (relative * 100).ToString("G4", CultureInfo.InvariantCulture) + " %";
}
