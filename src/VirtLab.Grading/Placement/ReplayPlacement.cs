using System.Globalization;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Scheduling;
using VirtLab.Scheduling;

namespace VirtLab.Grading.Placement;

/// <summary>
/// In the grader: a placement that decides nothing itself. It plays back a <see cref="PlacementLog"/>,
/// checking that each decision answers the question the host asks right now, and notes the first
/// time the decisions put vCPUs of two VMs on one core's two threads.
/// </summary>
internal sealed class ReplayPlacement(PlacementLog log) : ISmtPlacement
{
    private int _next;
    private string _current = "";

    /// <summary>The first decision that put two VMs' vCPUs side by side on one core, or null.</summary>
    public string? MixedCore { get; private set; }

    /// <summary>Decisions of the log not yet played back.</summary>
    public int Unplayed => log.Decisions.Count - _next;

    public string Name => "replay";

    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads)
    {
        string[] d = Next("order");
        if (d[0] != "order") throw Mismatch("the host asked for the fill order");
        var order = new List<int>();
        foreach (var x in d.Skip(1))
            order.Add(int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : throw Mismatch($"'{x}' is not a thread index"));
        return order;   // the host checks that it lists every thread once
    }

    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling)
    {
        string[] d = Next("beside");
        if (d.Length != 4 || d[0] != "beside" || d[1] != Text(candidate.Sched.Index) || d[2] != Text(sibling.Sched.Index) || d[3] is not ("yes" or "no"))
            throw Mismatch($"the host asked whether entity {Text(candidate.Sched.Index)} may run beside entity {Text(sibling.Sched.Index)}");
        bool may = d[3] == "yes";
        if (may && candidate.Group != sibling.Group) MixedCore ??= $"decision {_next}: '{candidate.Name}' was let run beside '{sibling.Name}'";
        return may;
    }

    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads)
    {
        string[] d = Next("move");
        if (d.Length != 3 || d[0] != "move" || d[1] != Text(busy.Index)) throw Mismatch($"the host asked whether thread {busy.Index}'s entity should move");
        if (d[2] == "-") return null;
        if (!int.TryParse(d[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int to) || to < 0 || to >= threads.Count)
            throw Mismatch($"'{d[2]}' is not a thread of this host");
        var target = threads[to];
        if (target.SiblingIndex >= 0 && threads[target.SiblingIndex].Current is { } other && busy.Current is { } moving && other.Group != moving.Group)
            MixedCore ??= $"decision {_next}: '{moving.Name}' was moved beside '{other.Name}'";
        return target;   // the host checks that it is idle and usable
    }

    private string[] Next(string asked)
    {
        if (_next >= log.Decisions.Count) throw new LogMismatchException($"the log ends after {log.Decisions.Count} decisions while the host still asks ('{asked} ...')");
        _current = log.Decisions[_next++] ?? "";
        return _current.Split(' ');
    }

    private LogMismatchException Mismatch(string what) => new($"decision {_next} ('{_current}') does not fit: {what}");

    private static string Text(int i) => i.ToString(CultureInfo.InvariantCulture);
}
