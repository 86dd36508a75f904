using static System.FormattableString;

namespace VirtLab.Experiments;

/// <summary>The headline figures of <see cref="PageSharingExperiment"/>, read from its rows.</summary>
public sealed class PageSharingHeadline : ExperimentHeadline
{
    private readonly IReadOnlyList<PageSharingRow> _rows;

    internal PageSharingHeadline(IReadOnlyList<PageSharingRow> rows) => _rows = rows;

    /// <summary>With <paramref name="vms"/> identical guests: the fraction of their backed pages that are shared.</summary>
    public double SharedFraction(int vms) => Identical(vms).SharedFraction;

    /// <summary>With <paramref name="vms"/> identical guests: the fraction of their backed pages that sharing gave back.</summary>
    public double SavedFraction(int vms) => Identical(vms).SavedFraction;

    /// <summary>The mixed set's shared fraction.</summary>
    public double MixedSharedFraction => Mixed.SharedFraction;

    /// <summary>The frames sharing freed in the mixed set.</summary>
    public int MixedSavedFrames => Mixed.SavedFrames;

    private PageSharingRow Mixed => _rows.Single(r => r.Set == PageSharingExperiment.Mixed);

    private PageSharingRow Identical(int vms) => _rows.FirstOrDefault(r => r.Set == PageSharingExperiment.Identical && r.Vms == vms)
        ?? throw new KeyNotFoundException($"no run with {vms} identical guests (1 to {_rows.Count - 1})");

    internal override IEnumerable<(string Name, string Value)> Sentences()
    {
        var identical = _rows.Where(r => r.Set == PageSharingExperiment.Identical).ToList();
        return
        [
            ("shared fraction, identical N=1..", string.Join(", ", identical.Select(r => Invariant($"{r.Vms}:{r.SharedFraction:P0}")))),
            ("saved fraction, identical N=1..", string.Join(", ", identical.Select(r => Invariant($"{r.Vms}:{r.SavedFraction:P0}")))),
            ("shared fraction, mixed", Invariant($"{MixedSharedFraction:P0} (saved {MixedSavedFrames} frames)")),
        ];
    }
}
