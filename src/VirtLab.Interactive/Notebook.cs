using System.Globalization;

namespace VirtLab.Interactive;

/// <summary>
/// What a lesson's cells call to show things that are not views of a VirtLab object: prose with
/// computed numbers (<see cref="Markdown"/>) and a progress bar for long runs
/// (<see cref="Progress"/>). Import it once in the setup cell with
/// <c>using static VirtLab.Interactive.Notebook;</c> and write <c>Markdown($"...")</c>.
/// <example>
/// <code>
/// var result = CpuOvercommit.Run(new() { Ratios = [1, 4] }, Progress("cpu-overcommit"));
/// Markdown($"At 4 vCPUs per pCPU a busy vCPU waits **{result.Headline.ReadyPercentAt(4):0.0} %** of the time.")
/// </code>
/// </example>
/// </summary>
public static class Notebook
{
    /// <summary>
    /// Prose for the cell's output, in Markdown, with the numbers the cell computed interpolated
    /// into it: <c>Markdown($"The VM made **{exits:N0}** CSR exits.")</c>. The numbers are
    /// formatted with the invariant culture (a point for decimals, commas between thousands), so
    /// the lesson reads the same on every machine. End the cell with it, or pass it to
    /// <c>display(...)</c>.
    /// </summary>
    public static MarkdownText Markdown(FormattableString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        VirtLabFormatters.Register();
        return new MarkdownText(text.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A progress bar for an experiment's <see cref="IProgress{T}"/> parameter, drawn on the cell's
    /// output: <c>label [####################] done</c>. See <see cref="ProgressBar"/>.
    /// </summary>
    public static ProgressBar Progress(string label, int steps = ProgressBar.DefaultSteps) => new(label, steps);
}
