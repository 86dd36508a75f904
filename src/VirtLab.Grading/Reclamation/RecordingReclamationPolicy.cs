using System.Globalization;
using VirtLab.Memory;

namespace VirtLab.Grading.Reclamation;

/// <summary>
/// In the child: passes every call on to the student's policy, with each VM behind a
/// <see cref="RecordedVm"/>, and writes down what it decided (<see cref="ReclamationLog"/>'s format).
/// It checks nothing; the host does, and the grader's replay does again.
/// <para>
/// The student's policy draws from a random source of its own, seeded from the scenario, instead
/// of the host's: the host swaps random pages with its own source, and the replay, which draws
/// nothing, must leave that source exactly as the student's run did.
/// </para>
/// </summary>
internal sealed class RecordingReclamationPolicy(IReclamationPolicy student, int seed) : IReclamationPolicy
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<IReclaimableVm, RecordedVm> _views = new(ReferenceEqualityComparer.Instance);

    /// <summary>The decisions so far.</summary>
    public List<string> Decisions { get; } = new();

    public string Name => student.Name;

    public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
    {
        Decisions.Add(string.Create(CultureInfo.InvariantCulture, $"reclaim {state} {pagesWanted} {surplusPages}"));
        student.Reclaim(state, pagesWanted, surplusPages, Views(vms), _random);
    }

    public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random)
    {
        var chosen = student.ChooseVictim(Views(candidates), _random);
        // Back to the host's own object (the host accepts only one of its candidates); anything else goes through as is, and the host refuses it.
        var inner = chosen is RecordedVm r ? r.Inner : chosen;
        Decisions.Add($"victim {inner?.Name ?? "-"}");
        return inner!;
    }

    /// <summary>The same wrapper for the same VM every time, so a policy may key its own records by VM.</summary>
    private List<IReclaimableVm> Views(IReadOnlyList<IReclaimableVm> vms) =>
        [.. vms.Select(v => (IReclaimableVm)(_views.TryGetValue(v, out var w) ? w : _views[v] = new RecordedVm(v, Decisions)))];
}
